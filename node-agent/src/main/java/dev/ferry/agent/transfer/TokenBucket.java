package dev.ferry.agent.transfer;

import java.util.function.LongSupplier;

/**
 * A token bucket of bytes, shared by every outgoing stream of a node: it refills at {@code rate}
 * bytes per second up to {@code burst} bytes, and a stream takes from it the size of each chunk
 * before passing the chunk on. Over any interval of {@code t} seconds the bytes let through are
 * at most {@code burst + rate * t}, however many streams share it.
 *
 * <p>A reservation larger than what the bucket holds is granted at once but goes into debt: the
 * caller waits (the returned delay) until the debt is repaid, and later callers wait behind it.
 * So a chunk larger than the burst never blocks forever, and the streams are served in the order
 * they asked. {@link #charge} takes bytes without waiting (the cut-over's final round), and the
 * other streams pay for them afterwards.
 *
 * <p>Pure bookkeeping: it never sleeps; the clock is injected ({@link System#nanoTime} in the
 * agent), so every case is a test row. Thread-safe.
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1e9;

  private final long rate;
  private final long burst;
  private final LongSupplier nanoTime;
  private double tokens;
  private long refilledAt;

  /**
   * @param rate bytes per second, positive
   * @param burst the most bytes the bucket holds, positive; it starts full
   * @param nanoTime a monotonic clock in nanoseconds
   */
  TokenBucket(long rate, long burst, LongSupplier nanoTime) {
    if (rate <= 0 || burst <= 0) {
      throw new IllegalArgumentException("rate and burst must be positive, got " + rate + " and " + burst);
    }
    this.rate = rate;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.refilledAt = nanoTime.getAsLong();
  }

  long rate() {
    return rate;
  }

  long burst() {
    return burst;
  }

  /**
   * Takes {@code bytes} from the bucket.
   *
   * @return how many nanoseconds the caller must wait before sending them: 0 when the bucket held
   *     them, else until the debt this reservation left is repaid
   */
  synchronized long reserve(long bytes) {
    take(bytes);
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS_PER_SECOND / rate);
  }

  /** Takes {@code bytes} without waiting for them; whoever reserves next waits for the debt. */
  synchronized void charge(long bytes) {
    take(bytes);
  }

  private void take(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
    }
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - refilledAt) * rate / NANOS_PER_SECOND);
    refilledAt = now;
    tokens -= bytes;
  }
}
