package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code wait --for} waits for, as kubectl writes it: {@code delete},
 * {@code condition=Ready} (status True) or {@code condition=Ready=False}, and
 * {@code jsonpath={.status.phase}=Succeeded} (or without {@code =VALUE}: any value). Pure: given
 * an object's state (empty when it does not exist), whether it is met, and how it is now.
 */
sealed interface WaitFor {

  /** Whether {@code state} is what is waited for. */
  boolean met(Optional<JsonNode> state);

  /** How {@code state} stands against it, for the timeout message. */
  String describe(Optional<JsonNode> state);

  /** Whether the object must exist when the wait starts. */
  default boolean needsObject() {
    return true;
  }

  record Delete() implements WaitFor {
    @Override
    public boolean met(Optional<JsonNode> state) {
      return state.isEmpty();
    }

    @Override
    public String describe(Optional<JsonNode> state) {
      return state.isEmpty() ? "it is gone" : "it still exists";
    }

    @Override
    public boolean needsObject() {
      return false;
    }
  }

  record Condition(String type, String status) implements WaitFor {
    @Override
    public boolean met(Optional<JsonNode> state) {
      return condition(state).map(c -> c.path("status").asText().equalsIgnoreCase(status)).orElse(false);
    }

    @Override
    public String describe(Optional<JsonNode> state) {
      if (state.isEmpty()) {
        return "it does not exist";
      }
      return condition(state).map(c -> "condition " + type + " is " + c.path("status").asText()
              + (c.path("reason").asText("").isEmpty() ? "" : " (" + c.path("reason").asText() + ")")
              + (c.path("message").asText("").isEmpty() ? "" : ": " + c.path("message").asText()))
          .orElse("it has no condition " + type);
    }

    private Optional<JsonNode> condition(Optional<JsonNode> state) {
      for (JsonNode c : state.map(s -> s.at("/status/conditions")).orElse(MissingNode.getInstance())) {
        if (c.path("type").asText().equalsIgnoreCase(type)) {
          return Optional.of(c);
        }
      }
      return Optional.empty();
    }
  }

  record JsonPath(String expression, JsonPathTemplate template, Optional<String> value) implements WaitFor {
    @Override
    public boolean met(Optional<JsonNode> state) {
      return state.map(template::render).map(v -> value.map(v::equals).orElse(!v.isEmpty())).orElse(false);
    }

    @Override
    public String describe(Optional<JsonNode> state) {
      return state.isEmpty() ? "it does not exist" : expression + " is \"" + template.render(state.get()) + "\"";
    }
  }

  /** Parses {@code --for}; anything else is a {@link CliException} naming the flag and the forms. */
  static WaitFor parse(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.equals("delete")) {
      return new Delete();
    }
    if (lower.startsWith("condition=")) {
      String[] parts = text.substring("condition=".length()).split("=", -1);
      if (parts.length > 2 || parts[0].isBlank() || (parts.length == 2 && parts[1].isBlank())) {
        throw invalid(text);
      }
      return new Condition(parts[0], parts.length == 2 ? parts[1] : "True");
    }
    if (lower.startsWith("jsonpath=")) {
      String rest = text.substring("jsonpath=".length());
      String unquoted = rest.startsWith("'") ? rest.replaceFirst("^'([^']*)'", "$1") : rest;
      int close = unquoted.lastIndexOf('}');
      if (!unquoted.startsWith("{") || close < 0) {
        throw new CliException("error: --for: '" + text + "': the JSONPath goes in braces, e.g. "
            + "--for=jsonpath='{.status.phase}'=Succeeded");
      }
      String expression = unquoted.substring(0, close + 1);
      String after = unquoted.substring(close + 1);
      if (!after.isEmpty() && (!after.startsWith("=") || after.length() == 1)) {
        throw invalid(text);
      }
      Optional<String> value = after.isEmpty() ? Optional.empty() : Optional.of(after.substring(1));
      return new JsonPath(expression, JsonPathTemplate.parse(expression, "--for=jsonpath"), value);
    }
    throw invalid(text);
  }

  private static CliException invalid(String text) {
    return new CliException("error: --for: '" + text + "' is not something to wait for: use delete,"
        + " condition=NAME[=VALUE] or jsonpath='{.field}'=VALUE");
  }
}
