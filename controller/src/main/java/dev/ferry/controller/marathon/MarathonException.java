package dev.ferry.controller.marathon;

/**
 * Marathon answered with an error, or could not be reached ({@code status} 0). Subclasses mark
 * the answers a reconciler treats differently: a lock to wait out, an app Marathon rejects.
 */
public class MarathonException extends RuntimeException {

  private final int status;

  public MarathonException(int status, String message) {
    super(message);
    this.status = status;
  }

  public MarathonException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  /** The HTTP status, or 0 when no answer came. */
  public int status() {
    return status;
  }
}
