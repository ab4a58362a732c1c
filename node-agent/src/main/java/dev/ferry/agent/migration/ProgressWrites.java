package dev.ferry.agent.migration;

import dev.ferry.agent.transfer.TransferProgress;
import dev.ferry.api.model.Transfer;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Turns a stream's once-a-second progress into {@code Running} writes of the round, one at a
 * time: a report that arrives while the previous write is still on its way is dropped (the next
 * one carries newer figures), and the final outcome is written after whatever write is in flight,
 * so an old Running never lands on top of Succeeded. Used on one Vert.x context.
 */
final class ProgressWrites {

  private final TransferStatusWriter writer;
  private final String migration;
  private final Transfer asked;
  private final Clock clock;
  private Future<Boolean> last = Future.succeededFuture(true);
  private long previousBytes;
  private long previousNanos;

  ProgressWrites(TransferStatusWriter writer, String migration, Transfer asked, Clock clock) {
    this.writer = writer;
    this.migration = migration;
    this.asked = asked;
    this.clock = clock;
  }

  /** Reports progress unless a write is still in flight; the rate is that of the last interval. */
  synchronized void progress(TransferProgress p) {
    long nanos = p.elapsed().toNanos();
    long rate = nanos > previousNanos ? (p.bytes() - previousBytes) * 1_000_000_000L / (nanos - previousNanos) : 0;
    previousBytes = p.bytes();
    previousNanos = nanos;
    if (last.isComplete()) {
      last = writer.write(migration, asked, t -> t.running(p.bytes(), rate, clock.instant()));
    }
  }

  /** Writes the outcome once the write in flight is done; completes with whether it was written. */
  synchronized Future<Boolean> finish(Supplier<Future<Boolean>> outcome) {
    last = last.transform(ar -> outcome.get());
    return last;
  }
}
