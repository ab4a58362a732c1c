package dev.ferry.devcluster.apps;

import java.time.Duration;

/** The app's relaunch backoff: {@code backoffSeconds * backoffFactor^(failures-1)}, at most {@code maxLaunchDelaySeconds}. */
public record Backoff(Duration initial, double factor, Duration maximum) {

  /** The delay before the next launch after {@code failures} consecutive failures (0 means none). */
  public Duration after(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    double millis = initial.toMillis() * Math.pow(factor, failures - 1);
    return millis >= maximum.toMillis() ? maximum : Duration.ofMillis((long) millis);
  }
}
