package dev.ferry.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.metrics.PrometheusMetrics;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@code /metrics} shows after reconciles and migrations end, in Prometheus' own text. */
class ReconcilerMetricsTest {

  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  final PrometheusMetrics metrics = new PrometheusMetrics();
  final ReconcilerMetrics reconciler = new ReconcilerMetrics(metrics.registry());

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void aSucceededMigrationPutsItsDowntimeAndPhasesInTheirBuckets() {
    MigrationStatus status = MigrationStatus.EMPTY.withPhase(MigrationPhase.PreCopy, "", T)
        .withPhase(MigrationPhase.Quiesce, "", T.plusSeconds(40))
        .finished(MigrationPhase.Succeeded, T.plusSeconds(43), Duration.ofSeconds(3), "");

    reconciler.migrationEnded(MigrationPhase.Succeeded, status);

    assertThat(metrics.scrape())
        .contains("ferry_migrations_total{outcome=\"Succeeded\"} 1.0\n")
        .contains("ferry_migration_downtime_seconds_bucket{le=\"2.0\"} 0\n")
        .contains("ferry_migration_downtime_seconds_bucket{le=\"5.0\"} 1\n")
        .contains("ferry_migration_downtime_seconds_count 1\n")
        .contains("ferry_migration_last_downtime_seconds 3.0\n")
        .contains("ferry_migration_phase_duration_seconds_bucket{outcome=\"Succeeded\",phase=\"PreCopy\",le=\"30.0\"} 0\n")
        .contains("ferry_migration_phase_duration_seconds_bucket{outcome=\"Succeeded\",phase=\"PreCopy\",le=\"60.0\"} 1\n")
        .contains("ferry_migration_phase_duration_seconds_sum{outcome=\"Succeeded\",phase=\"Quiesce\"} 3.0\n");
  }

  @Test
  void aFailedMigrationHasPhasesButNoDowntime() {
    MigrationStatus status = MigrationStatus.EMPTY.withPhase(MigrationPhase.PreCopy, "", T)
        .finished(MigrationPhase.Failed, T.plusSeconds(2), null, "the target refused");

    reconciler.migrationEnded(MigrationPhase.Failed, status);

    assertThat(metrics.scrape())
        .contains("ferry_migrations_total{outcome=\"Failed\"} 1.0\n")
        .contains("ferry_migration_downtime_seconds_count 0\n")
        .contains("ferry_migration_phase_duration_seconds_count{outcome=\"Failed\",phase=\"PreCopy\"} 1\n");
  }

  @Test
  void reconcilesAreCountedAndTimedByQueue() {
    reconciler.finished("migration", Duration.ofMillis(30), true);
    reconciler.finished("migration", Duration.ofMillis(30), false);

    assertThat(metrics.scrape())
        .contains("ferry_reconcile_total{queue=\"migration\",result=\"ok\"} 1.0\n")
        .contains("ferry_reconcile_total{queue=\"migration\",result=\"error\"} 1.0\n")
        .contains("ferry_reconcile_duration_seconds_bucket{queue=\"migration\",le=\"0.025\"} 0\n")
        .contains("ferry_reconcile_duration_seconds_bucket{queue=\"migration\",le=\"0.05\"} 2\n");
  }
}
