package dev.ferry.controller.statefulapp;

import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.controller.queue.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * When an app whose data must move may try again after moves that failed: a failed or rolled
 * back migration is not retried at once (the cause, a full pool or a dead node, rarely goes
 * away in a second), but after 30 s doubling to 10 min per failure in a row.
 *
 * @param failuresInARow how many of the app's latest finished migrations failed or rolled back
 * @param lastFailure when the latest of them ended
 */
public record MigrationRetry(int failuresInARow, Optional<Instant> lastFailure) {

  public static final MigrationRetry NONE = new MigrationRetry(0, Optional.empty());
  static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10));

  /** From the app's migrations, finished or not. */
  public static MigrationRetry of(String app, List<Migration> migrations) {
    List<Migration> finished = migrations.stream()
        .filter(m -> m.spec().statefulApp().equals(app) && m.status().phase().isFinished()
            && m.status().completionTime() != null)
        .sorted(Comparator.comparing((Migration m) -> m.status().completionTime()).reversed())
        .toList();
    int failures = 0;
    for (Migration m : finished) {
      if (m.status().phase() == MigrationPhase.Succeeded) {
        break;
      }
      failures++;
    }
    return failures == 0 ? NONE : new MigrationRetry(failures, Optional.of(finished.get(0).status().completionTime()));
  }

  /** How long the app must still wait before it may move again; empty when it may now. */
  public Optional<Duration> waitLeft(Instant now) {
    return lastFailure.map(t -> Duration.between(now, t.plus(BACKOFF.delay(failuresInARow))))
        .filter(left -> !left.isNegative() && !left.isZero());
  }
}
