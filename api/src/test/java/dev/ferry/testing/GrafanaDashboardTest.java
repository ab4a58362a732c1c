package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class GrafanaDashboardTest {

  @Test
  void findsMetricsAndJobsButNotFunctionsOrLabelValues() {
    GrafanaDashboard.Query q = GrafanaDashboard.parse("histogram_quantile(0.95, sum by (queue, le) "
        + "(rate(ferry_reconcile_duration_seconds_bucket{job=~\"ferry-controller|ferry-agent\", x=\"ferry-y\"}[5m])))"
        + " / process_cpu_usage{job=\"ferry-agent\"}");

    assertThat(q.metrics()).containsExactly("ferry_reconcile_duration_seconds_bucket", "process_cpu_usage");
    assertThat(q.jobs()).containsExactly("ferry-agent", "ferry-controller");
  }

  @Test
  void servedNamesEverySampleOfAScrape() {
    String scrape = """
        # HELP ferry_x_seconds X
        # TYPE ferry_x_seconds histogram
        ferry_x_seconds_bucket{le="+Inf"} 1
        ferry_x_seconds_count 1
        ferry_leader 1.0
        """;

    assertThat(GrafanaDashboard.served(scrape))
        .isEqualTo(Set.of("ferry_x_seconds_bucket", "ferry_x_seconds_count", "ferry_leader"));
  }

  @Test
  void theRepositorysDashboardNamesAJobInEveryQuery() {
    GrafanaDashboard dashboard = GrafanaDashboard.read(TestData.repositoryFile("docs/grafana/ferry.json"));

    assertThat(dashboard.queries()).hasSizeGreaterThan(10);
    assertThat(dashboard.queries()).allSatisfy(q -> assertThat(q.jobs()).as(q.expr()).isNotEmpty());
    assertThat(dashboard.metricsOf("ferry-controller")).contains("ferry_migration_downtime_seconds_bucket");
    assertThat(dashboard.metricsOf("ferry-agent")).contains("ferry_transfer_bytes_total");
  }
}
