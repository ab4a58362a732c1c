package dev.ferry.devcluster.health;

import dev.ferry.devcluster.apps.HealthCheckSpec;
import java.time.Duration;
import java.util.Optional;

/**
 * When to probe a task that has not passed its check yet, between the probes of its app's
 * {@code intervalSeconds}. Marathon probes only on the interval, so an app that starts listening
 * just after the probe at launch is seen healthy one whole interval later (2 s for the demo's
 * Redis); a moved app is down all that time. These extra probes only look for the first success:
 * their failures are not recorded (the interval's probes alone count toward
 * {@code maxConsecutiveFailures} and end the grace period, as in Marathon), so the task is
 * healthy exactly when Marathon would say, only seen sooner.
 *
 * <p>Only checks probed over the network get them: a {@code COMMAND} check forks a shell, too
 * dear to run every few milliseconds. They stop at the first success, and in any case after
 * {@link #window}: the grace period, at least one interval, at most {@link #MAX_WINDOW}.
 */
public final class StartupProbes {

  /** The time between two startup probes: a connection attempt to a local port costs far less. */
  static final Duration EVERY = Duration.ofMillis(20);
  /** However long the grace period, startup probing ends after this. */
  static final Duration MAX_WINDOW = Duration.ofSeconds(60);

  private StartupProbes() {}

  /**
   * The delay before the next startup probe, or empty when there is none.
   *
   * @param sinceLaunch time since the task was launched (or adopted)
   * @param passed whether the check has passed at least once
   */
  public static Optional<Duration> next(HealthCheckSpec check, Duration sinceLaunch, boolean passed) {
    if (passed || check.protocol().equals("COMMAND") || sinceLaunch.compareTo(window(check)) >= 0) {
      return Optional.empty();
    }
    return Optional.of(EVERY);
  }

  /** How long after launch startup probes may run. */
  static Duration window(HealthCheckSpec check) {
    Duration longer = check.gracePeriod().compareTo(check.interval()) > 0 ? check.gracePeriod() : check.interval();
    return longer.compareTo(MAX_WINDOW) > 0 ? MAX_WINDOW : longer;
  }
}
