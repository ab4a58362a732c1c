package dev.ferry.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.metrics.PrometheusMetrics;
import dev.ferry.testing.GrafanaDashboard;
import dev.ferry.testing.TestData;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's probes and metrics over HTTP, with no credential, as probes and Prometheus ask. */
class AgentProbesTest {

  final Vertx vertx = Vertx.vertx();
  final PrometheusMetrics metrics = new PrometheusMetrics();
  final AtomicBoolean ready = new AtomicBoolean();
  final HttpClient http = HttpClient.newHttpClient();
  int port;

  @BeforeEach
  void serve() throws Exception {
    AgentProbes probes = new AgentProbes(metrics, ready::get);
    TransferBytes.register(metrics.registry()).received().increment(42);
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      if (!probes.answer(request)) {
        request.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1").await(20, TimeUnit.SECONDS);
    port = server.actualPort();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
    metrics.close();
  }

  @Test
  void readyzSaysOnlyWhetherTheAgentIsReady() throws Exception {
    HttpResponse<String> before = get("/readyz");
    ready.set(true);
    HttpResponse<String> after = get("/readyz");

    assertThat(before.statusCode()).isEqualTo(503);
    assertThat(before.body()).isEqualTo("{\"status\":\"not ready\"}");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.body()).isEqualTo("{\"status\":\"ready\"}");
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsServeTransferBytesAndTheJvmsOwn() throws Exception {
    HttpResponse<String> scrape = get("/metrics");

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type")).hasValue(PrometheusMetrics.CONTENT_TYPE);
    assertThat(scrape.body()).contains("# TYPE ferry_transfer_bytes_total counter")
        .contains("ferry_transfer_bytes_total{direction=\"received\"} 42.0")
        .contains("ferry_transfer_bytes_total{direction=\"sent\"} 0.0")
        .contains("jvm_memory_used_bytes").contains("process_uptime_seconds").contains("process_files_open_files");
  }

  @Test
  void otherPathsAndMethodsAreLeftToTheTransferServer() throws Exception {
    assertThat(get("/v1/transfers/x").statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(404);
  }

  @Test
  void everyAgentMetricTheDashboardUsesIsServed() throws Exception {
    GrafanaDashboard dashboard = GrafanaDashboard.read(TestData.repositoryFile("docs/grafana/ferry.json"));

    Set<String> served = GrafanaDashboard.served(get("/metrics").body());

    assertThat(dashboard.metricsOf("ferry-agent")).isNotEmpty();
    assertThat(served).containsAll(dashboard.metricsOf("ferry-agent"));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
