package dev.ferry.devcluster.health;

import dev.ferry.devcluster.apps.HealthCheckSpec;
import dev.ferry.devcluster.tasks.Task;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs an app's health checks against each of its running tasks, every {@code intervalSeconds}.
 * Until a check first passes it is also probed every few milliseconds ({@link StartupProbes}), so
 * that a task is seen healthy as soon as it listens rather than one interval later; those probes'
 * failures are not recorded.
 * Failures within {@code gracePeriodSeconds} of the start are ignored until the first success.
 * A task with {@code maxConsecutiveFailures} failures in a row is reported unhealthy (0 means
 * never for checks Marathon runs, and at the first failure for those Mesos runs). Runs on the
 * scheduler's context.
 */
public final class HealthMonitor {

  /** What the monitor tells the scheduler. */
  public interface Listener {
    void healthChanged(String taskId, boolean alive);

    void unhealthy(String taskId, String cause);
  }

  private record Watched(List<Long> timers, List<HealthResult> results, Instant started) {}

  private final Vertx vertx;
  private final HealthProbe probe;
  private final Listener listener;
  private final Map<String, Watched> watched = new HashMap<>();

  public HealthMonitor(Vertx vertx, HealthProbe probe, Listener listener) {
    this.vertx = vertx;
    this.probe = probe;
    this.listener = listener;
  }

  /** Starts checking {@code task}; the first probe runs at once. */
  public void watch(Task task, List<HealthCheckSpec> checks, Path sandbox, Map<String, String> env) {
    List<HealthResult> results = new ArrayList<>();
    checks.forEach(c -> results.add(HealthResult.unknown()));
    Watched w = new Watched(new ArrayList<>(), results, Instant.now());
    watched.put(task.id(), w);
    for (int i = 0; i < checks.size(); i++) {
      int index = i;
      HealthCheckSpec check = checks.get(i);
      int port = check.port().orElse(check.portIndex() < task.ports().size() ? task.ports().get(check.portIndex()) : 0);
      Runnable once = () -> probe.probe(check, task.host(), port, sandbox, env)
          .onSuccess(failure -> record(task.id(), index, check, failure));
      once.run();
      w.timers().add(vertx.setPeriodic(check.interval().toMillis(), t -> once.run()));
      Runnable startup = new Runnable() {
        @Override
        public void run() {
          probe.probe(check, task.host(), port, sandbox, env).onSuccess(failure -> {
            if (watched.get(task.id()) != w) {
              return;
            }
            if (failure.isEmpty()) {
              record(task.id(), index, check, failure);
            }
            // A failure is not recorded: only the interval's probes count toward the grace period and
            // maxConsecutiveFailures. It only asks for the next startup probe.
            scheduleStartupProbe(w, index, check, this);
          });
        }
      };
      scheduleStartupProbe(w, index, check, startup);
    }
  }

  /**
   * Schedules the next startup probe of one check, if {@link StartupProbes} wants one. Each is
   * scheduled once the previous one answered, so they never pile up behind a slow answer.
   */
  private void scheduleStartupProbe(Watched w, int index, HealthCheckSpec check, Runnable startup) {
    boolean passed = w.results().get(index).firstSuccess().isPresent();
    StartupProbes.next(check, Duration.between(w.started(), Instant.now()), passed).ifPresent(delay -> {
      long[] timer = new long[1];
      timer[0] = vertx.setTimer(delay.toMillis(), t -> {
        w.timers().remove(Long.valueOf(timer[0]));
        startup.run();
      });
      w.timers().add(timer[0]);
    });
  }

  /** Marks {@code task} healthy without probing: simulated tasks have nothing to probe. */
  public void assumeHealthy(Task task, int checks) {
    List<HealthResult> results = new ArrayList<>();
    for (int i = 0; i < checks; i++) {
      results.add(HealthResult.unknown().succeeded(Instant.now()));
    }
    watched.put(task.id(), new Watched(new ArrayList<>(), results, Instant.now()));
    if (checks > 0) {
      listener.healthChanged(task.id(), true);
    }
  }

  public void forget(String taskId) {
    Optional.ofNullable(watched.remove(taskId)).ifPresent(w -> w.timers().forEach(vertx::cancelTimer));
  }

  public List<HealthResult> results(String taskId) {
    return Optional.ofNullable(watched.get(taskId)).map(w -> List.copyOf(w.results())).orElse(List.of());
  }

  /** Whether every check of the task passed last time (true when it has none). */
  public boolean healthy(String taskId) {
    return results(taskId).stream().allMatch(HealthResult::alive);
  }

  private void record(String taskId, int index, HealthCheckSpec check, Optional<String> failure) {
    Watched w = watched.get(taskId);
    if (w == null) {
      return;
    }
    boolean before = w.results().stream().allMatch(HealthResult::alive);
    HealthResult previous = w.results().get(index);
    Instant now = Instant.now();
    boolean inGrace = previous.firstSuccess().isEmpty() && now.isBefore(w.started().plus(check.gracePeriod()));
    HealthResult next = failure.isEmpty() ? previous.succeeded(now)
        : inGrace ? previous : previous.failed(now, failure.get());
    w.results().set(index, next);
    boolean after = w.results().stream().allMatch(HealthResult::alive);
    if (before != after) {
      listener.healthChanged(taskId, after);
    }
    int allowed = check.mesosLevel() ? Math.max(1, check.maxConsecutiveFailures()) : check.maxConsecutiveFailures();
    if (allowed > 0 && next.consecutiveFailures() >= allowed) {
      listener.unhealthy(taskId, next.lastFailureCause().orElse("health check failed"));
    }
  }
}
