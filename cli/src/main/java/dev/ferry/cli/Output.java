package dev.ferry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Kind;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code -o}: a table (default, or {@code wide}), {@code yaml}, {@code json}, {@code name},
 * {@code jsonpath=TEMPLATE} or {@code custom-columns=HEADER:FIELD,...} (as kubectl's; see
 * {@link JsonPathTemplate}). JSON is stable for scripts: a single object as the API stores it, a
 * list as {@code {"apiVersion":"ferry/v1","kind":"List","items":[...]}} sorted by name, two-space
 * indent; a jsonpath template over a list sees that List. The rows a watch adds to a table keep
 * the widths of the columns printed with the header, so they stay under it.
 */
final class Output {

  enum Format { TABLE, WIDE, YAML, JSON, NAME, JSONPATH, CUSTOM_COLUMNS }

  private static final String FORMATS = "yaml, json, wide, name, jsonpath=TEMPLATE or custom-columns=HEADER:FIELD,...";

  /**
   * YAML as people read it, for trees as the API sends them: Ferry's YAML settings, except that a
   * long message stays on one line rather than folded at 80 columns with {@code \} continuations.
   */
  private static final ObjectWriter YAML = new YAMLMapper(
      ((YAMLFactory) Json.yaml().getFactory()).rebuild().disable(YAMLGenerator.Feature.SPLIT_LINES).build()).writer();

  private final Format format;
  private final Kind<?, ?, ?> kind;
  private final PrintWriter out;
  private final Optional<JsonPathTemplate> template;
  private final List<Column> columns;
  /** The widths of the table printed last with its header: later rows are padded to them. */
  private int[] widths = new int[0];

  Output(String format, Kind<?, ?, ?> kind, PrintWriter out) {
    int equals = format.indexOf('=');
    String name = equals < 0 ? format : format.substring(0, equals);
    String argument = equals < 0 ? "" : unquote(format.substring(equals + 1));
    this.format = switch (name) {
      case "" -> Format.TABLE;
      case "wide" -> Format.WIDE;
      case "yaml" -> Format.YAML;
      case "json" -> Format.JSON;
      case "name" -> Format.NAME;
      case "jsonpath" -> Format.JSONPATH;
      case "custom-columns" -> Format.CUSTOM_COLUMNS;
      default -> throw new CliException("error: unknown output format '" + format + "': use " + FORMATS);
    };
    boolean takesArgument = this.format == Format.JSONPATH || this.format == Format.CUSTOM_COLUMNS;
    if (takesArgument == argument.isEmpty()) {
      throw new CliException("error: output format '" + format + "': "
          + (takesArgument ? name + " needs a value, e.g. " + name + "=" + (this.format == Format.JSONPATH
              ? "'{.metadata.name}'" : "NAME:.metadata.name,PHASE:.status.phase") : name + " takes no value")
          + "; formats: " + FORMATS);
    }
    this.kind = kind;
    this.out = out;
    this.template = this.format == Format.JSONPATH
        ? Optional.of(JsonPathTemplate.parse(argument, "-o jsonpath")) : Optional.empty();
    this.columns = this.format == Format.CUSTOM_COLUMNS ? customColumns(argument)
        : Columns.of(kind).stream().filter(c -> this.format == Format.WIDE || !c.wideOnly()).toList();
  }

  /** {@code NAME:.metadata.name,PHASE:.status.phase}: each column a header and a field. */
  private static List<Column> customColumns(String spec) {
    List<Column> columns = new ArrayList<>();
    for (String each : spec.split(",")) {
      int colon = each.indexOf(':');
      if (colon <= 0 || colon == each.length() - 1) {
        throw new CliException("error: -o custom-columns: '" + each
            + "' is not HEADER:FIELD, e.g. NAME:.metadata.name,PHASE:.status.phase");
      }
      JsonPathTemplate field = JsonPathTemplate.field(each.substring(colon + 1), "-o custom-columns");
      columns.add(Column.of(each.substring(0, colon), o -> {
        String value = field.render(o);
        return value.isEmpty() ? "<none>" : value;
      }));
    }
    return columns;
  }

  /** {@code '{.a}'} as a script may pass it without a shell to take the quotes off. */
  private static String unquote(String text) {
    boolean quoted = text.length() >= 2 && (text.startsWith("'") && text.endsWith("'")
        || text.startsWith("\"") && text.endsWith("\""));
    return quoted ? text.substring(1, text.length() - 1) : text;
  }

  /** Prints objects; {@code single} prints one object rather than a list (get KIND NAME). */
  void print(List<JsonNode> objects, boolean single) {
    switch (format) {
      case TABLE, WIDE, CUSTOM_COLUMNS -> {
        if (objects.isEmpty()) {
          out.println("No " + kind.plural() + " found.");
        } else {
          table(objects, true);
        }
      }
      case NAME -> objects.forEach(o -> out.println(Verb.ref(kind.name(), o.at("/metadata/name").asText())));
      case YAML -> out.print(yaml(single ? objects.get(0) : list(objects)));
      case JSON -> out.println(json(single ? objects.get(0) : list(objects)));
      case JSONPATH -> out.print(template.orElseThrow().render(single ? objects.get(0) : list(objects)));
    }
    out.flush();
  }

  /**
   * Prints one watch event: a table row under the header printed before (with a header of its
   * own if none was, as after "No ... found."), or a whole object.
   */
  void printEvent(String type, JsonNode object) {
    switch (format) {
      case TABLE, WIDE, CUSTOM_COLUMNS -> table(List.of(object), widths.length == 0);
      case NAME -> out.println(Verb.ref(kind.name(), object.at("/metadata/name").asText()));
      case YAML -> out.print("---\n" + yaml(object));
      case JSON -> out.println(json(object));
      case JSONPATH -> out.print(template.orElseThrow().render(object));
    }
    out.flush();
  }

  private void table(List<JsonNode> objects, boolean header) {
    List<List<String>> rows = new ArrayList<>();
    if (header) {
      rows.add(columns.stream().map(Column::header).toList());
      widths = new int[columns.size()];
    }
    objects.forEach(o -> rows.add(columns.stream().map(c -> c.cell().apply(o)).toList()));
    int[] width = Arrays.copyOf(widths, columns.size());
    rows.forEach(r -> {
      for (int i = 0; i < r.size(); i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    });
    if (header) {
      widths = width;
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + (width[i] + 3) + "s", row.get(i)));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static ObjectNode list(List<JsonNode> objects) {
    ObjectNode list = Json.json().createObjectNode().put("apiVersion", "ferry/v1").put("kind", "List");
    list.putArray("items").addAll(objects);
    return list;
  }

  static String yaml(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new CliException("cannot print YAML: " + e.getMessage());
    }
  }

  static String json(JsonNode node) {
    try {
      return Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new CliException("cannot print JSON: " + e.getMessage());
    }
  }
}
