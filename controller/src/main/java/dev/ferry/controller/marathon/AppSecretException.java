package dev.ferry.controller.marathon;

/**
 * A secret an app refers to cannot be resolved: the StatefulApp's Ready condition says so, naming
 * the field ({@link #field()}); the message never holds a secret's value.
 */
public final class AppSecretException extends RuntimeException {

  private final String field;

  public AppSecretException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The spec field that names the secret, e.g. {@code spec.app.secrets.pw.source}. */
  public String field() {
    return field;
  }
}
