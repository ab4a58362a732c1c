package dev.ferry.controller.queue;

import java.time.Duration;
import java.util.Optional;

/** What a reconcile asks of the queue when it succeeded: nothing, or another run later. */
public record ReconcileResult(Optional<Duration> requeueAfter) {

  private static final ReconcileResult DONE = new ReconcileResult(Optional.empty());

  public static ReconcileResult done() {
    return DONE;
  }

  /** Run again after {@code delay}, e.g. to poll a transfer's progress. */
  public static ReconcileResult requeueAfter(Duration delay) {
    return new ReconcileResult(Optional.of(delay));
  }
}
