package dev.ferry.controller.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Decides whether the app Marathon holds already says what Ferry would write. Marathon fills in
 * defaults (health-check timeouts, port definitions, versions), so the observed app may hold more
 * than Ferry wrote: it matches when every field Ferry sets has the same value there. Fields a
 * user removed from the spec are caught by the generation label instead, which changes with
 * every spec change.
 */
public final class MarathonDiff {

  private MarathonDiff() {}

  /** Whether {@code observed} has every field of {@code desired} with an equal value. */
  public static boolean covers(JsonNode desired, JsonNode observed) {
    if (desired.isObject()) {
      if (!observed.isObject()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        JsonNode theirs = observed.get(f.getKey());
        if (theirs == null ? !isEmpty(f.getValue()) : !covers(f.getValue(), theirs)) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!observed.isArray() || observed.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!covers(desired.get(i), observed.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (desired.isNumber()) {
      return observed.isNumber() && desired.decimalValue().compareTo(observed.decimalValue()) == 0;
    }
    return desired.equals(observed);
  }

  /** The first field where {@code observed} differs, for the drift event's message. */
  public static String firstDifference(JsonNode desired, JsonNode observed) {
    Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode theirs = observed.path(f.getKey());
      if (theirs.isMissingNode() ? !isEmpty(f.getValue()) : !covers(f.getValue(), theirs)) {
        return f.getKey();
      }
    }
    return "";
  }

  private static boolean isEmpty(JsonNode n) {
    return n.isNull() || (n.isContainerNode() && n.isEmpty());
  }
}
