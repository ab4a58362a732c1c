package dev.ferry.example.todo;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields a POST or PATCH sets. Each is absent when the request leaves it out.
 *
 * @param problems what is wrong with the request's fields; empty when it is usable
 */
public record TodoChange(Optional<String> title, Optional<Boolean> completed, Optional<Long> order, List<String> problems) {

  public TodoChange {
    problems = List.copyOf(problems);
  }

  /** Reads a request body; wrong types become {@link #problems()}, unknown fields are ignored. */
  public static TodoChange parse(JsonObject body) {
    List<String> problems = new ArrayList<>();
    Optional<String> title = field(body, "title", String.class, "a string", problems);
    Optional<Boolean> completed = field(body, "completed", Boolean.class, "true or false", problems);
    Optional<Long> order = field(body, "order", Number.class, "a number", problems).map(Number::longValue);
    return new TodoChange(title, completed, order, problems);
  }

  private static <T> Optional<T> field(JsonObject body, String name, Class<T> type, String expected, List<String> problems) {
    Object value = body.getValue(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!type.isInstance(value)) {
      problems.add(name + " must be " + expected);
      return Optional.empty();
    }
    return Optional.of(type.cast(value));
  }
}
