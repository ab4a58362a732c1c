package dev.ferry.controller.migration;

import dev.ferry.api.model.TransferRound;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When pre-copy has done enough and the app should stop for the final round. Pure, so every case
 * is a table row.
 *
 * <p>The final round runs while the app is down, so what matters is how long it will take, not
 * how many bytes it holds: the next delta is about as large as the last round (the app wrote it
 * while that round was sent), and it is predicted to take {@code bytes / rate}, at the best rate
 * a round of this migration streamed (the full copy's, usually: small rounds measure mostly their
 * fixed costs, which another round would not shrink). Pre-copy ends when that prediction is within
 * {@link #FINAL_SEND_BUDGET} and the round is within {@code maxFinalDelta}; when no round has a
 * measured rate (an agent that does not report one), on {@code maxFinalDelta} alone. It also ends
 * after {@code maxRounds}, when a round took no less time than the one before (what is left is
 * the rounds' fixed cost, which another round pays again), and when an incremental round was no
 * smaller than the one before (the app writes faster than the copy catches up: more rounds would
 * not help).
 */
final class PreCopyEnd {

  /**
   * The share of the downtime the final stream may take. QEMU's live migration allows itself
   * 300 ms for the stop and the last part ({@code DEFAULT_MIGRATE_SET_DOWNTIME}); the stream is
   * one part of Ferry's cut-over, beside stopping, switching and starting the app.
   */
  static final Duration FINAL_SEND_BUDGET = Duration.ofMillis(100);

  private PreCopyEnd() {}

  /**
   * @param rounds the rounds so far, oldest first (at least one)
   * @param maxFinalDelta the most bytes a final round may hold
   * @param maxRounds the most rounds pre-copy may take
   */
  static boolean reached(List<TransferRound> rounds, long maxFinalDelta, int maxRounds) {
    TransferRound last = rounds.get(rounds.size() - 1);
    if (rounds.size() >= maxRounds) {
      return true;
    }
    if (last.bytes() <= maxFinalDelta) {
      Optional<Duration> predicted = predictedSend(rounds, last.bytes());
      if (predicted.isEmpty() || predicted.get().compareTo(FINAL_SEND_BUDGET) <= 0) {
        return true;
      }
    }
    if (rounds.size() >= 2 && noFaster(rounds.get(rounds.size() - 2), last)) {
      return true;
    }
    // Round 0 is the full copy; compare incremental rounds only.
    return rounds.size() >= 3 && last.bytes() >= rounds.get(rounds.size() - 2).bytes();
  }

  /**
   * Whether {@code last} streamed no faster than the round before it: small rounds then cost
   * their fixed part (processes, connections), which another round would pay again, so the
   * rate they measure underestimates the stream and must not keep pre-copy going.
   */
  private static boolean noFaster(TransferRound previous, TransferRound last) {
    return previous.duration() != null && last.duration() != null && last.duration().compareTo(previous.duration()) >= 0;
  }

  /** How long {@code bytes} take at the best rate a round streamed, when one was measured. */
  static Optional<Duration> predictedSend(List<TransferRound> rounds, long bytes) {
    double best = 0;
    for (TransferRound r : rounds) {
      if (r.duration() != null && !r.duration().isZero() && !r.duration().isNegative() && r.bytes() > 0) {
        best = Math.max(best, r.bytes() / (r.duration().toNanos() / 1e9));
      }
    }
    return best == 0 ? Optional.empty() : Optional.of(Duration.ofNanos((long) (bytes / best * 1e9)));
  }
}
