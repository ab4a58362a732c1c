package dev.ferry.api.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A manifest or object that Ferry refuses, with every problem found. The message lists them
 * one per line, each as {@code field: what is wrong}, after a line that says what was checked
 * (e.g. {@code StatefulApp "todos-db" is invalid} or {@code document 2 is invalid}).
 */
public final class ValidationException extends IllegalArgumentException {

  private final String subject;
  private final List<FieldError> errors;

  public ValidationException(String subject, List<FieldError> errors) {
    super(format(subject, errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ValidationException needs at least one error");
    }
    this.subject = subject;
    this.errors = List.copyOf(errors);
  }

  public static ValidationException of(String subject, FieldError error) {
    return new ValidationException(subject, List.of(error));
  }

  /** What was checked, e.g. {@code StatefulApp "todos-db"} or {@code document 2}. */
  public String subject() {
    return subject;
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String format(String subject, List<FieldError> errors) {
    return subject + " is invalid:\n"
        + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n"));
  }
}
