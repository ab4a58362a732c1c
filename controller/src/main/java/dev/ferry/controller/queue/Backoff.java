package dev.ferry.controller.queue;

import java.time.Duration;

/**
 * Per-key exponential backoff: the first retry after {@code initial}, each next one after twice
 * the previous, never more than {@code max}. The reconcilers use 5 ms doubling to 5 min.
 */
public record Backoff(Duration initial, Duration max) {

  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(5), Duration.ofMinutes(5));

  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
  }

  /** The delay before retry number {@code failures} (1 for the first failure). */
  public Duration delay(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    // 2^62 ns overflows nothing and is far beyond any sensible max.
    int shift = Math.min(failures - 1, 62);
    long nanos = initial.toNanos();
    if (shift >= Long.numberOfLeadingZeros(nanos) - 1) {
      return max;
    }
    Duration d = Duration.ofNanos(nanos << shift);
    return d.compareTo(max) > 0 ? max : d;
  }
}
