package dev.ferry.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.FieldPath;
import dev.ferry.api.validation.ValidationException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentEndEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads manifests (YAML, one or more documents; JSON is YAML too) into JSON trees, refusing
 * what a manifest must not hold: duplicate keys, more aliases, nesting, bytes or expanded nodes
 * than {@link YamlLimits} allow, custom tags, recursive aliases. The limits are checked on the
 * parser's events before anything is built, so a YAML bomb is refused in the time it takes to
 * read its text.
 *
 * <p>Scalars are typed as in YAML 1.2's core schema: only {@code true}/{@code false} are
 * booleans, so {@code disk: no} or {@code country: NO} stay strings (YAML 1.1 would turn them
 * into {@code false}). Merge keys ({@code <<}) are honoured; explicit keys win over merged ones.
 * Empty documents (a lone {@code ---}) are skipped.
 */
public final class ManifestReader {

  private static final Pattern BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
  private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|0o[0-7_]+");

  private final YamlLimits limits;
  private final Function<JsonNode, List<FieldError>> alsoCheck;

  /**
   * @param alsoCheck what else is wrong with a document that holds duplicate keys (its first
   *     values kept), so that a duplicate key does not hide the document's other errors
   */
  public ManifestReader(YamlLimits limits, Function<JsonNode, List<FieldError>> alsoCheck) {
    this.limits = limits;
    this.alsoCheck = alsoCheck;
  }

  public ManifestReader(YamlLimits limits) {
    this(limits, tree -> List.of());
  }

  public ManifestReader() {
    this(YamlLimits.DEFAULT);
  }

  /**
   * Parses every document of {@code text}.
   *
   * @throws ValidationException naming the document and what is wrong with it
   */
  public List<JsonNode> read(String text) {
    checkRawSizes(text);
    checkEvents(text);
    List<JsonNode> trees = new ArrayList<>();
    int document = 0;
    try {
      for (Node root : yaml().composeAll(new StringReader(text))) {
        document++;
        if (root != null && !isEmptyDocument(root)) {
          trees.add(convert(root, document));
        }
      }
    } catch (MarkedYAMLException e) {
      throw syntaxError(document + 1, e);
    } catch (YAMLException e) {
      throw ValidationException.of(documentName(document + 1), new FieldError("", e.getMessage()));
    }
    return trees;
  }

  private JsonNode convert(Node root, int document) {
    Converter converter = new Converter(documentName(document));
    JsonNode tree = converter.convert(root, FieldPath.root());
    if (converter.duplicates.isEmpty()) {
      return tree;
    }
    Map<String, FieldError> errors = new TreeMap<>();
    converter.duplicates.forEach(e -> errors.put(e.field(), e));
    alsoCheck.apply(tree).forEach(e -> errors.putIfAbsent(e.field(), e));
    throw new ValidationException(documentName(document), List.copyOf(errors.values()));
  }

  /** Parses a text that must hold exactly one document. */
  public JsonNode readOne(String text) {
    List<JsonNode> trees = read(text);
    if (trees.size() != 1) {
      throw ValidationException.of("manifest",
          new FieldError("", "must hold exactly one document, found " + trees.size()));
    }
    return trees.get(0);
  }

  /**
   * Walks the event stream once before anything is built, so that limits are enforced on
   * what the file says rather than on what it would expand to.
   */
  private void checkEvents(String text) {
    int document = 0;
    int depth = 0;
    int aliases = 0;
    ExpansionCounter nodes = new ExpansionCounter(limits.maxNodes());
    int startIndex = 0;
    int lastEnd = 0;
    try {
      for (Event event : yaml().parse(new StringReader(text))) {
        if (!(event instanceof DocumentEndEvent) && event.getEndMark() != null) {
          lastEnd = event.getEndMark().getIndex();
        }
        int current = document;
        nodes.count(event).ifPresent(at -> {
          throw ValidationException.of(documentName(current), FieldError.at(at, "expands to more than "
              + limits.maxNodes() + " nodes here (each alias counts as all the nodes it repeats)"));
        });
        if (event instanceof DocumentStartEvent) {
          document++;
          if (document > limits.maxDocuments()) {
            throw ValidationException.of("manifest", new FieldError("",
                "holds more than " + limits.maxDocuments() + " documents"));
          }
          aliases = 0;
          nodes = new ExpansionCounter(limits.maxNodes());
          startIndex = event.getStartMark().getIndex();
        } else if (event instanceof DocumentEndEvent) {
          // An implicit document end has no extent: the document ends where its last node does.
          checkSize(text, document, startIndex, Math.max(lastEnd, event.getEndMark().getIndex()));
        } else if (event instanceof CollectionStartEvent) {
          depth++;
          if (depth > limits.maxDepth()) {
            throw ValidationException.of(documentName(document), new FieldError("",
                "nests deeper than " + limits.maxDepth() + " levels"));
          }
        } else if (event instanceof CollectionEndEvent) {
          depth--;
        } else if (event instanceof AliasEvent) {
          aliases++;
          if (aliases > limits.maxAliases()) {
            throw ValidationException.of(documentName(document), new FieldError("",
                "uses more than " + limits.maxAliases() + " aliases"));
          }
        }
      }
    } catch (MarkedYAMLException e) {
      throw syntaxError(Math.max(document, 1), e);
    } catch (YAMLException e) {
      throw ValidationException.of(documentName(Math.max(document, 1)), new FieldError("", e.getMessage()));
    }
  }

  /**
   * Measures each document by its text between document markers before any YAML is parsed, so
   * that an oversized document costs one pass over its characters rather than a parse (SnakeYAML
   * takes seconds over a one-mebibyte scalar). A line starting with {@code ---} or {@code ...}
   * always ends the document before it, whatever it is in the middle of.
   */
  private void checkRawSizes(String text) {
    int document = 1;
    boolean started = false;
    boolean content = false;
    long bytes = 0;
    int at = 0;
    while (at < text.length()) {
      int end = text.indexOf('\n', at);
      end = end < 0 ? text.length() : end + 1;
      long lineBytes = utf8Bytes(text, at, end);
      if (isMarker(text, at, end)) {
        checkRawSize(document, bytes);
        bytes = 0;
        if (text.charAt(at) == '-') {
          document += started || content ? 1 : 0;
          started = true;
          content = false;
          bytes = lineBytes;
        }
      } else {
        bytes += lineBytes;
        content |= !isBlankOrComment(text, at, end);
      }
      at = end;
    }
    checkRawSize(document, bytes);
  }

  private void checkRawSize(int document, long bytes) {
    if (bytes > limits.maxDocumentBytes()) {
      throw ValidationException.of(documentName(document), new FieldError("",
          "is " + bytes + " bytes, more than the limit of " + limits.maxDocumentBytes()));
    }
  }

  private static boolean isMarker(String text, int from, int to) {
    if (!text.startsWith("---", from) && !text.startsWith("...", from)) {
      return false;
    }
    return from + 3 >= to || Character.isWhitespace(text.charAt(from + 3));
  }

  private static boolean isBlankOrComment(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char ch = text.charAt(i);
      if (ch == '#' || ch == '%') {
        return true;
      }
      if (!Character.isWhitespace(ch)) {
        return false;
      }
    }
    return true;
  }

  private static long utf8Bytes(String text, int from, int to) {
    long bytes = 0;
    for (int i = from; i < to; i++) {
      char ch = text.charAt(i);
      bytes += ch < 0x80 ? 1 : ch < 0x800 ? 2 : Character.isSurrogate(ch) ? 2 : 3;
    }
    return bytes;
  }

  private void checkSize(String text, int document, int startCodePoint, int endCodePoint) {
    int from = text.offsetByCodePoints(0, Math.min(startCodePoint, text.codePointCount(0, text.length())));
    int to = text.offsetByCodePoints(0, Math.min(endCodePoint, text.codePointCount(0, text.length())));
    long bytes = text.substring(from, to).getBytes(StandardCharsets.UTF_8).length;
    if (bytes > limits.maxDocumentBytes()) {
      throw ValidationException.of(documentName(document), new FieldError("",
          "is " + bytes + " bytes, more than the limit of " + limits.maxDocumentBytes()));
    }
  }

  private Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(limits.maxAliases());
    options.setNestingDepthLimit(limits.maxDepth() + 1);
    // Bounded per document below; this only stops a runaway read before it gets there.
    options.setCodePointLimit(Math.max(limits.maxDocumentBytes(), 1) * limits.maxDocuments());
    options.setProcessComments(false);
    return new Yaml(options);
  }

  private static boolean isEmptyDocument(Node root) {
    return root instanceof ScalarNode s && s.getTag().equals(Tag.NULL) && s.getValue().isEmpty();
  }

  private static String documentName(int document) {
    return "document " + document;
  }

  private static ValidationException syntaxError(int document, MarkedYAMLException e) {
    var mark = e.getProblemMark();
    String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
    return ValidationException.of(documentName(document),
        new FieldError("", "is not valid YAML" + where + ": " + problem));
  }

  /** Turns one composed document into a JSON tree, checking keys and tags on the way. */
  private static final class Converter {
    private final String document;
    private final Map<Node, Boolean> inProgress = new IdentityHashMap<>();
    private final List<FieldError> duplicates = new ArrayList<>();

    Converter(String document) {
      this.document = document;
    }

    JsonNode convert(Node node, FieldPath path) {
      if (inProgress.containsKey(node)) {
        throw fail(path, "refers to itself through an alias");
      }
      inProgress.put(node, Boolean.TRUE);
      try {
        if (node instanceof MappingNode m) {
          return mapping(m, path);
        }
        if (node instanceof SequenceNode s) {
          ArrayNode array = JsonNodeFactory.instance.arrayNode();
          for (Node item : s.getValue()) {
            array.add(convert(item, path.index(array.size())));
          }
          return array;
        }
        return scalar((ScalarNode) node, path);
      } finally {
        inProgress.remove(node);
      }
    }

    private ObjectNode mapping(MappingNode m, FieldPath path) {
      ObjectNode object = JsonNodeFactory.instance.objectNode();
      List<ObjectNode> merged = new ArrayList<>();
      for (NodeTuple tuple : m.getValue()) {
        Node keyNode = tuple.getKeyNode();
        if (keyNode.getTag().equals(Tag.MERGE)) {
          merged.addAll(mergeSources(tuple.getValueNode(), path));
          continue;
        }
        if (!(keyNode instanceof ScalarNode key)) {
          throw fail(path, "keys must be plain strings, not " + kindOf(keyNode));
        }
        String name = key.getValue();
        if (object.has(name)) {
          // Refused in the end, but read on: the document's other errors are reported with it.
          duplicates.add(FieldError.at(path.child(name), "duplicate key"));
          continue;
        }
        object.set(name, convert(tuple.getValueNode(), path.child(name)));
      }
      for (ObjectNode source : merged) {
        source.properties().forEach(e -> {
          if (!object.has(e.getKey())) {
            object.set(e.getKey(), e.getValue());
          }
        });
      }
      return object;
    }

    private List<ObjectNode> mergeSources(Node value, FieldPath path) {
      List<ObjectNode> sources = new ArrayList<>();
      List<Node> nodes = value instanceof SequenceNode s ? s.getValue() : List.of(value);
      for (Node n : nodes) {
        if (!(convert(n, path) instanceof ObjectNode o)) {
          throw fail(path, "a merge key (<<) must refer to a mapping");
        }
        sources.add(o);
      }
      return sources;
    }

    private JsonNode scalar(ScalarNode s, FieldPath path) {
      JsonNodeFactory f = JsonNodeFactory.instance;
      String v = s.getValue();
      Tag tag = s.getTag();
      if (tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP)) {
        return f.textNode(v);
      }
      if (tag.equals(Tag.NULL)) {
        return f.nullNode();
      }
      if (tag.equals(Tag.BOOL)) {
        return BOOL.matcher(v).matches() ? f.booleanNode(v.equalsIgnoreCase("true")) : f.textNode(v);
      }
      if (tag.equals(Tag.INT)) {
        return INT.matcher(v).matches() ? integer(v) : f.textNode(v);
      }
      if (tag.equals(Tag.FLOAT)) {
        return floating(v, path);
      }
      throw fail(path, "tag " + tag.getValue() + " is not supported: write plain strings, numbers and booleans");
    }

    private static JsonNode integer(String v) {
      String digits = v.replace("_", "");
      BigInteger value;
      if (digits.startsWith("0x")) {
        value = new BigInteger(digits.substring(2), 16);
      } else if (digits.startsWith("0o")) {
        value = new BigInteger(digits.substring(2), 8);
      } else {
        value = new BigInteger(digits);
      }
      return value.bitLength() < 64
          ? JsonNodeFactory.instance.numberNode(value.longValue())
          : JsonNodeFactory.instance.numberNode(value);
    }

    private JsonNode floating(String v, FieldPath path) {
      try {
        double d = Double.parseDouble(v.replace("_", ""));
        if (Double.isFinite(d)) {
          return JsonNodeFactory.instance.numberNode(d);
        }
      } catch (NumberFormatException e) {
        // .inf, .nan and sexagesimal floats: not numbers JSON can carry.
      }
      throw fail(path, "'" + v + "' is not a finite number");
    }

    private static String kindOf(Node n) {
      return n instanceof MappingNode ? "a mapping" : n instanceof SequenceNode ? "a list" : "a scalar";
    }

    private ValidationException fail(FieldPath path, String message) {
      return ValidationException.of(document, FieldError.at(path, message));
    }
  }
}
