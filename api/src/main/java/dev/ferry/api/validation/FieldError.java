package dev.ferry.api.validation;

/**
 * One thing wrong with a manifest: the field's path ({@code spec.placement.constraints[0][1]},
 * empty for the document itself) and what is wrong with it.
 */
public record FieldError(String field, String message) {

  public FieldError {
    field = field == null ? "" : field;
  }

  public static FieldError at(FieldPath path, String message) {
    return new FieldError(path.toString(), message);
  }

  @Override
  public String toString() {
    return field.isEmpty() ? message : field + ": " + message;
  }
}
