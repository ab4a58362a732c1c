package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.ferry.api.codec.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * kubectl's JSONPath template, as {@code -o jsonpath=}, {@code -o custom-columns=} and
 * {@code wait --for=jsonpath=} take it: text with {@code {EXPR}} parts, where EXPR is
 * {@code .status.phase}, {@code .items[*].metadata.name},
 * {@code .status.conditions[?(@.type=="Ready")].status} (evaluated by Jayway JsonPath),
 * {@code "a quoted\tstring"}, or {@code range EXPR} ... {@code end} to repeat a part for each
 * value. A value prints as text (objects and lists as JSON), several values separated by a
 * space, and a field that is not there prints nothing (kubectl's default).
 */
final class JsonPathTemplate {

  private static final Configuration JACKSON = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider(Json.json()))
      .mappingProvider(new JacksonMappingProvider(Json.json()))
      .options(Option.ALWAYS_RETURN_LIST, Option.SUPPRESS_EXCEPTIONS)
      .build();

  private sealed interface Part permits Text, Expr, Range {}

  private record Text(String text) implements Part {}

  private record Expr(JsonPath path) implements Part {}

  private record Range(JsonPath path, List<Part> body) implements Part {}

  private final List<Part> parts;

  private JsonPathTemplate(List<Part> parts) {
    this.parts = parts;
  }

  /**
   * Parses {@code template}; one that is not a template is a {@link CliException} that names
   * {@code flag} (the option it came from) and what is wrong.
   */
  static JsonPathTemplate parse(String template, String flag) {
    Parser parser = new Parser(template, flag);
    List<Part> parts = parser.parts(false);
    return new JsonPathTemplate(parts);
  }

  /** A custom-columns field: {@code .metadata.name} or {@code {.metadata.name}}. */
  static JsonPathTemplate field(String field, String flag) {
    String trimmed = field.strip();
    return parse(trimmed.startsWith("{") ? trimmed : "{" + trimmed + "}", flag);
  }

  /** The template's text for {@code object}. */
  String render(JsonNode object) {
    StringBuilder text = new StringBuilder();
    render(parts, object, text);
    return text.toString();
  }

  private static void render(List<Part> parts, JsonNode node, StringBuilder text) {
    for (Part part : parts) {
      if (part instanceof Text t) {
        text.append(t.text());
      } else if (part instanceof Expr e) {
        List<String> values = new ArrayList<>();
        read(e.path(), node).forEach(v -> values.add(v.isValueNode() ? v.asText() : v.toString()));
        text.append(String.join(" ", values));
      } else if (part instanceof Range r) {
        read(r.path(), node).forEach(each -> render(r.body(), each, text));
      }
    }
  }

  /** The values {@code path} selects, without nulls. */
  private static List<JsonNode> read(JsonPath path, JsonNode node) {
    JsonNode found = JsonPath.using(JACKSON).parse(node).read(path);
    List<JsonNode> values = new ArrayList<>();
    if (found != null) {
      found.forEach(v -> {
        if (!v.isNull() && !v.isMissingNode()) {
          values.add(v);
        }
      });
    }
    return values;
  }

  /** Reads the template left to right: text, then {...} parts. */
  private static final class Parser {
    private final String template;
    private final String flag;
    private int at;

    Parser(String template, String flag) {
      this.template = template;
      this.flag = flag;
    }

    /** The parts up to the end, or up to {@code {end}} when {@code inRange}. */
    List<Part> parts(boolean inRange) {
      List<Part> parts = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      while (at < template.length()) {
        char c = template.charAt(at);
        if (c != '{') {
          text.append(c);
          at++;
          continue;
        }
        int close = closing(at);
        String inside = template.substring(at + 1, close).strip();
        at = close + 1;
        if (!text.isEmpty()) {
          parts.add(new Text(text.toString()));
          text.setLength(0);
        }
        if (inside.equals("end")) {
          if (!inRange) {
            throw invalid("{end} without a {range ...} before it");
          }
          return parts;
        } else if (inside.startsWith("range ")) {
          parts.add(new Range(compile(inside.substring(6)), parts(true)));
        } else if (inside.startsWith("\"") && inside.endsWith("\"") && inside.length() >= 2) {
          parts.add(new Text(unquote(inside.substring(1, inside.length() - 1))));
        } else {
          parts.add(new Expr(compile(inside)));
        }
      }
      if (inRange) {
        throw invalid("{range ...} without an {end}");
      }
      if (!text.isEmpty()) {
        parts.add(new Text(text.toString()));
      }
      return parts;
    }

    /** The index of the brace that closes the one at {@code open}; braces inside quotes do not count. */
    private int closing(int open) {
      boolean quoted = false;
      for (int i = open + 1; i < template.length(); i++) {
        char c = template.charAt(i);
        if (c == '"' && template.charAt(i - 1) != '\\') {
          quoted = !quoted;
        } else if (c == '}' && !quoted) {
          return i;
        }
      }
      throw invalid("a '{' at position " + open + " is never closed");
    }

    private JsonPath compile(String expression) {
      String path = expression.strip();
      if (path.isEmpty()) {
        throw invalid("an empty {}");
      }
      // kubectl's paths start at the object with '.', or name it as '$' or '@'.
      String jayway = path.startsWith(".") || path.startsWith("[") ? "$" + path
          : path.startsWith("@") ? "$" + path.substring(1) : path;
      if (!jayway.startsWith("$")) {
        throw invalid("'" + path + "' does not start with '.', e.g. {.metadata.name}");
      }
      try {
        return JsonPath.compile(jayway);
      } catch (InvalidPathException e) {
        throw invalid("'" + path + "': " + e.getMessage());
      }
    }

    private static String unquote(String text) {
      return text.replace("\\n", "\n").replace("\\t", "\t").replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private CliException invalid(String why) {
      return new CliException("error: " + flag + ": '" + template + "' is not a JSONPath template: " + why);
    }
  }
}
