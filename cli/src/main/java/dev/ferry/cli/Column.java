package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/** One column of {@code get}'s table: its header, how to read a cell, and whether only {@code -o wide} shows it. */
record Column(String header, Function<JsonNode, String> cell, boolean wideOnly) {

  static Column of(String header, Function<JsonNode, String> cell) {
    return new Column(header, cell, false);
  }

  static Column wide(String header, Function<JsonNode, String> cell) {
    return new Column(header, cell, true);
  }

  /** A cell with the text at a JSON pointer, or {@code <none>}. */
  static Function<JsonNode, String> at(String pointer) {
    return o -> {
      JsonNode value = o.at(pointer);
      return value.isMissingNode() || value.isNull() || value.asText().isEmpty() ? "<none>" : value.asText();
    };
  }
}
