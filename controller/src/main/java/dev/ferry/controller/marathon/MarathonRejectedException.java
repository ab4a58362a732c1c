package dev.ferry.controller.marathon;

import java.util.List;

/**
 * 422 (or 400): Marathon refuses the app as written. Retrying will not help; the reconciler puts
 * Marathon's details in the StatefulApp's conditions for the user to fix the spec.
 *
 * @see #details() each as {@code path: error}
 */
public final class MarathonRejectedException extends MarathonException {

  private final List<String> details;

  public MarathonRejectedException(int status, String message, List<String> details) {
    super(status, message + (details.isEmpty() ? "" : ": " + String.join("; ", details)));
    this.details = List.copyOf(details);
  }

  public List<String> details() {
    return details;
  }
}
