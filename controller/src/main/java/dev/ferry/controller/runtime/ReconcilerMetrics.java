package dev.ferry.controller.runtime;

import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationStatus;
import dev.ferry.controller.metrics.Counter;
import dev.ferry.controller.metrics.Gauge;
import dev.ferry.controller.metrics.MetricsRegistry;
import dev.ferry.controller.queue.WorkQueue;
import java.time.Duration;

/**
 * What the reconcilers report in {@code /metrics}: reconciles and their time by queue and
 * result, queue depths, migrations by outcome, bytes moved and downtime. Gauges read whatever
 * reconcilers run now (none on a standby).
 */
public final class ReconcilerMetrics implements WorkQueue.Observer {

  private final Counter reconciles;
  private final Counter reconcileSeconds;
  private final Counter migrations;
  private final Counter bytesMoved;
  private final Counter downtimeSeconds;
  private final Gauge lastDowntime;

  public ReconcilerMetrics(MetricsRegistry metrics) {
    reconciles = metrics.counter("ferry_reconcile_total", "Reconciles by queue and result", "queue", "result");
    reconcileSeconds = metrics.counter("ferry_reconcile_seconds_total", "Time spent reconciling, by queue", "queue");
    migrations = metrics.counter("ferry_migrations_total", "Finished migrations by outcome", "outcome");
    bytesMoved = metrics.counter("ferry_migration_bytes_total", "Bytes sent by finished migrations");
    downtimeSeconds = metrics.counter("ferry_migration_downtime_seconds_total",
        "Seconds apps were down for successful migrations");
    lastDowntime = metrics.gauge("ferry_migration_last_downtime_seconds", "Downtime of the last successful migration");
  }

  /** Registers the gauges that read the running reconcilers. */
  public ReconcilerMetrics watch(MetricsRegistry metrics, LeaderDuties duties) {
    metrics.gauge("ferry_leader", "1 while this controller leads and reconciles, else 0",
        () -> duties.running().isPresent() ? 1 : 0);
    metrics.gauge("ferry_statefulapp_queue_depth", "StatefulApps waiting to be reconciled",
        () -> duties.running().map(r -> r.appQueue().depth()).orElse(0));
    metrics.gauge("ferry_migration_queue_depth", "Migrations waiting to be reconciled",
        () -> duties.running().map(r -> r.migrationQueue().depth()).orElse(0));
    return this;
  }

  @Override
  public void finished(String queue, Duration took, boolean succeeded) {
    reconciles.inc(queue, succeeded ? "ok" : "error");
    reconcileSeconds.add(took.toNanos() / 1e9, queue);
  }

  /** Counts a migration that ended. */
  public void migrationEnded(MigrationPhase outcome, MigrationStatus status) {
    migrations.inc(outcome.name());
    bytesMoved.add(status.bytesTransferred());
    if (outcome == MigrationPhase.Succeeded && status.downtime() != null) {
      double seconds = status.downtime().toMillis() / 1000.0;
      downtimeSeconds.add(seconds);
      lastDowntime.set(seconds);
    }
  }
}
