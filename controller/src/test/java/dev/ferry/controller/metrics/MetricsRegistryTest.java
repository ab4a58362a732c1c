package dev.ferry.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricsRegistryTest {

  @Test
  void writesPrometheusText() {
    MetricsRegistry metrics = new MetricsRegistry();
    Counter requests = metrics.counter("ferry_requests_total", "Requests", "code");
    requests.inc("200");
    requests.inc("200");
    requests.add(3, "500");
    metrics.gauge("ferry_queue_depth", "Keys waiting", () -> 7);
    metrics.gauge("ferry_nodes", "Nodes by state", "state").set(2, "Ready");

    assertThat(metrics.scrape()).isEqualTo("""
        # HELP ferry_nodes Nodes by state
        # TYPE ferry_nodes gauge
        ferry_nodes{state="Ready"} 2
        # HELP ferry_queue_depth Keys waiting
        # TYPE ferry_queue_depth gauge
        ferry_queue_depth 7
        # HELP ferry_requests_total Requests
        # TYPE ferry_requests_total counter
        ferry_requests_total{code="200"} 2
        ferry_requests_total{code="500"} 3
        """);
  }

  @Test
  void escapesLabelValuesAndRefusesBadNamesAndClashes() {
    MetricsRegistry metrics = new MetricsRegistry();
    metrics.counter("ferry_x_total", "X", "path").inc("a\"b\\c\nd");

    assertThat(metrics.scrape()).contains("ferry_x_total{path=\"a\\\"b\\\\c\\nd\"} 1");
    assertThat(metrics.counter("ferry_x_total", "X", "path")).isSameAs(metrics.counter("ferry_x_total", "X", "path"));
    assertThatThrownBy(() -> metrics.gauge("ferry_x_total", "X", "path")).hasMessageContaining("already registered");
    assertThatThrownBy(() -> metrics.counter("ferry x", "X")).hasMessageContaining("not a Prometheus metric name");
    assertThatThrownBy(() -> metrics.counter("ferry_y_total", "Y").add(-1)).hasMessageContaining("only goes up");
  }
}
