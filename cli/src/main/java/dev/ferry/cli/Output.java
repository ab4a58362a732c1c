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
import java.util.List;

/**
 * {@code -o}: a table (default, or {@code wide}), {@code yaml}, {@code json} or {@code name}.
 * JSON is stable for scripts: a single object as the API stores it, a list as
 * {@code {"apiVersion":"ferry/v1","kind":"List","items":[...]}} sorted by name, two-space indent.
 */
final class Output {

  enum Format { TABLE, WIDE, YAML, JSON, NAME }

  /**
   * YAML as people read it, for trees as the API sends them: Ferry's YAML settings, except that a
   * long message stays on one line rather than folded at 80 columns with {@code \} continuations.
   */
  private static final ObjectWriter YAML = new YAMLMapper(
      ((YAMLFactory) Json.yaml().getFactory()).rebuild().disable(YAMLGenerator.Feature.SPLIT_LINES).build()).writer();

  private final Format format;
  private final Kind<?, ?, ?> kind;
  private final PrintWriter out;

  Output(String format, Kind<?, ?, ?> kind, PrintWriter out) {
    this.format = switch (format) {
      case "" -> Format.TABLE;
      case "wide" -> Format.WIDE;
      case "yaml" -> Format.YAML;
      case "json" -> Format.JSON;
      case "name" -> Format.NAME;
      default -> throw new CliException("error: unknown output format '" + format + "': use yaml, json, wide or name");
    };
    this.kind = kind;
    this.out = out;
  }

  /** Prints objects; {@code single} prints one object rather than a list (get KIND NAME). */
  void print(List<JsonNode> objects, boolean single) {
    switch (format) {
      case TABLE, WIDE -> {
        if (objects.isEmpty()) {
          out.println("No " + kind.plural() + " found.");
        } else {
          table(objects, true);
        }
      }
      case NAME -> objects.forEach(o -> out.println(Verb.ref(kind.name(), o.at("/metadata/name").asText())));
      case YAML -> out.print(yaml(single ? objects.get(0) : list(objects)));
      case JSON -> out.println(json(single ? objects.get(0) : list(objects)));
    }
    out.flush();
  }

  /** Prints one watch event: a table row without header, or a whole object. */
  void printEvent(String type, JsonNode object) {
    switch (format) {
      case TABLE, WIDE -> table(List.of(object), false);
      case NAME -> out.println(Verb.ref(kind.name(), object.at("/metadata/name").asText()));
      case YAML -> out.print("---\n" + yaml(object));
      case JSON -> out.println(json(object));
    }
    out.flush();
  }

  private void table(List<JsonNode> objects, boolean header) {
    List<Column> columns = Columns.of(kind).stream().filter(c -> format == Format.WIDE || !c.wideOnly()).toList();
    List<List<String>> rows = new ArrayList<>();
    if (header) {
      rows.add(columns.stream().map(Column::header).toList());
    }
    objects.forEach(o -> rows.add(columns.stream().map(c -> c.cell().apply(o)).toList()));
    int[] widths = new int[columns.size()];
    rows.forEach(r -> {
      for (int i = 0; i < r.size(); i++) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    });
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + (widths[i] + 3) + "s", row.get(i)));
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
