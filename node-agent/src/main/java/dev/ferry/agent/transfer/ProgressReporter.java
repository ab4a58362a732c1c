package dev.ferry.agent.transfer;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Reports a stream's progress once a second while it runs, and once more when it stops, so that
 * a listener always sees the final count.
 */
final class ProgressReporter {

  static final long INTERVAL_MS = 1000;

  private final Vertx vertx;
  private final String dataset;
  private final LongSupplier bytes;
  private final Consumer<TransferProgress> listener;
  private final long started = System.nanoTime();
  private final long timer;

  ProgressReporter(Vertx vertx, String dataset, LongSupplier bytes, Consumer<TransferProgress> listener) {
    this.vertx = vertx;
    this.dataset = dataset;
    this.bytes = bytes;
    this.listener = listener;
    this.timer = vertx.setPeriodic(INTERVAL_MS, id -> listener.accept(current()));
  }

  TransferProgress current() {
    return new TransferProgress(dataset, bytes.getAsLong(), Duration.ofNanos(System.nanoTime() - started));
  }

  /** Stops the periodic reports and reports the final state. */
  TransferProgress stop() {
    vertx.cancelTimer(timer);
    TransferProgress last = current();
    listener.accept(last);
    return last;
  }
}
