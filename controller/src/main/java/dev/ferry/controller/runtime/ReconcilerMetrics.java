package dev.ferry.controller.runtime;

import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationStatus;
import dev.ferry.controller.migration.PhaseDurations;
import dev.ferry.controller.queue.WorkQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the reconcilers report in {@code /metrics}: reconciles by queue and result with a
 * histogram of their duration, queue depths, migrations by outcome, bytes moved, and histograms
 * of each finished migration's downtime and phases. Gauges read whatever reconcilers run now
 * (none on a standby).
 */
public final class ReconcilerMetrics implements WorkQueue.Observer {

  /** A reconcile is a few store reads and writes, or a call to Marathon or an agent. */
  private static final Duration[] RECONCILE_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);
  /** Downtime: from Quiesce to the app healthy on the target; seconds to minutes. */
  private static final Duration[] DOWNTIME_BUCKETS = seconds(0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600);
  /** A phase: a Switch takes a second, a full first copy of a big dataset hours. */
  private static final Duration[] PHASE_BUCKETS = seconds(0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600, 10800);

  private final MeterRegistry registry;
  private final Counter bytesMoved;
  private final Timer downtime;
  private final AtomicReference<Double> lastDowntime = new AtomicReference<>(0.0);

  public ReconcilerMetrics(MeterRegistry registry) {
    this.registry = registry;
    bytesMoved = Counter.builder("ferry.migration").baseUnit("bytes")
        .description("Bytes sent by finished migrations").register(registry);
    downtime = Timer.builder("ferry.migration.downtime")
        .description("How long apps were down for successful migrations, from Quiesce to healthy on the target")
        .serviceLevelObjectives(DOWNTIME_BUCKETS).register(registry);
    Gauge.builder("ferry.migration.last.downtime", lastDowntime, AtomicReference::get).baseUnit("seconds")
        .description("Downtime of the last successful migration").register(registry);
  }

  /** Registers the gauges that read the running reconcilers. */
  public ReconcilerMetrics watch(LeaderDuties duties) {
    Gauge.builder("ferry.leader", () -> duties.running().isPresent() ? 1 : 0)
        .description("1 while this controller leads and reconciles, else 0").register(registry);
    Gauge.builder("ferry.statefulapp.queue.depth", () -> duties.running().map(r -> r.appQueue().depth()).orElse(0))
        .description("StatefulApps waiting to be reconciled").register(registry);
    Gauge.builder("ferry.migration.queue.depth", () -> duties.running().map(r -> r.migrationQueue().depth()).orElse(0))
        .description("Migrations waiting to be reconciled").register(registry);
    return this;
  }

  @Override
  public void finished(String queue, Duration took, boolean succeeded) {
    Counter.builder("ferry.reconcile").description("Reconciles by queue and result")
        .tags("queue", queue, "result", succeeded ? "ok" : "error").register(registry).increment();
    Timer.builder("ferry.reconcile.duration").description("How long reconciles took, by queue")
        .tag("queue", queue).serviceLevelObjectives(RECONCILE_BUCKETS).register(registry).record(took);
  }

  /** Counts a migration that ended, its bytes, its downtime (if it succeeded) and its phases. */
  public void migrationEnded(MigrationPhase outcome, MigrationStatus status) {
    Counter.builder("ferry.migrations").description("Finished migrations by outcome")
        .tag("outcome", outcome.name()).register(registry).increment();
    bytesMoved.increment(status.bytesTransferred());
    PhaseDurations.of(status).forEach((phase, took) -> Timer.builder("ferry.migration.phase.duration")
        .description("How long finished migrations spent in each phase, by phase and outcome")
        .tags("phase", phase.name(), "outcome", outcome.name())
        .serviceLevelObjectives(PHASE_BUCKETS).register(registry).record(took));
    if (outcome == MigrationPhase.Succeeded && status.downtime() != null) {
      downtime.record(status.downtime());
      lastDowntime.set(status.downtime().toMillis() / 1000.0);
    }
  }

  private static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return out;
  }
}
