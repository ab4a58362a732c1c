package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * {@code get --sort-by}: a field written as kubectl takes it, {@code .metadata.name},
 * {@code {.status.phase}} or {@code .spec.app.portDefinitions[0].port}, and the order it gives:
 * numbers by value, everything else as text, objects without the field last.
 */
record SortKey(String pointer) {

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+(\\[[0-9]+])*");

  /** Parses {@code field}; a field that is not a dotted path is a {@link CliException} naming it. */
  static SortKey parse(String field) {
    String path = field.strip();
    if (path.startsWith("{") && path.endsWith("}")) {
      path = path.substring(1, path.length() - 1);
    }
    if (!path.startsWith(".") || path.length() == 1) {
      throw invalid(field);
    }
    StringBuilder pointer = new StringBuilder();
    for (String segment : path.substring(1).split("\\.", -1)) {
      if (!SEGMENT.matcher(segment).matches()) {
        throw invalid(field);
      }
      pointer.append('/').append(segment.replace("[", "/").replace("]", ""));
    }
    return new SortKey(pointer.toString());
  }

  private static CliException invalid(String field) {
    return new CliException("error: --sort-by: '" + field
        + "' is not a field path: write it as .metadata.name or .status.phase");
  }

  /** The order of objects by this field. */
  Comparator<JsonNode> order() {
    Comparator<JsonNode> byValue = (a, b) -> a.isNumber() && b.isNumber()
        ? Double.compare(a.asDouble(), b.asDouble())
        : a.asText().compareTo(b.asText());
    return Comparator.comparing((JsonNode o) -> o.at(pointer),
        Comparator.comparing((JsonNode v) -> v.isMissingNode() || v.isNull()).thenComparing(byValue));
  }
}
