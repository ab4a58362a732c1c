package dev.ferry.controller.queue;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A global limit on how fast retries run, so that a burst of failing keys (Marathon down, say)
 * does not turn into a burst of requests: {@code perSecond} tokens a second, at most
 * {@code burst} saved up. Not thread-safe: the work queue uses it from its one context.
 */
public final class TokenBucket {

  private final double perSecond;
  private final double burst;
  private final LongSupplier nanoClock;
  private double tokens;
  private long last;

  public TokenBucket(double perSecond, int burst, LongSupplier nanoClock) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("a token bucket needs a positive rate and a burst of at least 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoClock = nanoClock;
    this.tokens = burst;
    this.last = nanoClock.getAsLong();
  }

  /** Takes one token and says how long to wait before using it (zero when one was there). */
  public Duration reserve() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
    last = now;
    tokens -= 1;
    if (tokens >= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil(-tokens / perSecond * 1e9));
  }
}
