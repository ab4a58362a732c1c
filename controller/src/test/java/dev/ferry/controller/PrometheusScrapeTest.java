package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationStatus;
import dev.ferry.api.process.Directories;
import dev.ferry.api.process.FreePort;
import dev.ferry.api.process.ManagedProcess;
import dev.ferry.controller.runtime.ReconcilerMetrics;
import dev.ferry.testing.EtcdExtension;
import dev.ferry.testing.GrafanaDashboard;
import dev.ferry.testing.TestData;
import dev.ferry.testing.TestManifests;
import dev.ferry.testing.ZooKeeperExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Prometheus ({@code /usr/bin/prometheus}, Debian's package) scrapes a running
 * controller with a metrics-role token, as docs/metrics.md tells an operator to, and answers
 * PromQL over the controller's histograms.
 */
class PrometheusScrapeTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();
  @RegisterExtension
  static ZooKeeperExtension zookeeper = new ZooKeeperExtension();

  static final Duration EVENTUALLY = Duration.ofSeconds(120);
  static final String ADMIN = "admin-token-0123456789";
  static final String SCRAPER = "metrics-token-0123456789";
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  static Path dir;
  static Controller controller;
  static ManagedProcess prometheus;
  static int prometheusPort;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("ferry-prometheus-test-");
    try {
      Path tokens = Files.writeString(dir.resolve("tokens.csv"),
          ADMIN + ",alice,admin\n" + SCRAPER + ",prometheus,metrics\n");
      controller = Controller.start(ControllerConfig.parse("listen: {host: 127.0.0.1, port: 0}\n", Map.of(
          "FERRY_TOKENS_FILE", tokens.toString(), "FERRY_ETCD_ENDPOINTS", etcd.endpoint(),
          "FERRY_ZK_CONNECT", zookeeper.connectString(), "FERRY_GITOPS_CACHE_DIR", dir.resolve("cache").toString())));
      prometheus = startPrometheus();
    } catch (Exception | Error e) {
      stop();
      throw e;
    }
  }

  @AfterAll
  static void stop() {
    try {
      if (prometheus != null) {
        prometheus.stop(Duration.ofSeconds(10));
      }
    } finally {
      try {
        if (controller != null) {
          controller.close();
        }
      } finally {
        Directories.delete(dir);
      }
    }
  }

  @Test
  void promqlAnswersOverTheDowntimeHistogramAfterAMigrationEnds() throws Exception {
    await().atMost(EVENTUALLY).until(() -> query("up{job=\"ferry-controller\"}").equals(Optional.of(1.0)));

    // A successful move needs Marathon and two ZFS agents; this records its end through the
    // reconciler's own call (MigrationReconciler ends a migration with migrationEnded) on the
    // controller's registry: 7 s down, phases of 60, 1 and 6 s.
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    Map<MigrationPhase, Instant> phases = new EnumMap<>(MigrationPhase.class);
    phases.put(MigrationPhase.PreCopy, t);
    phases.put(MigrationPhase.Quiesce, t.plusSeconds(60));
    phases.put(MigrationPhase.Start, t.plusSeconds(61));
    MigrationStatus ended = new MigrationStatus(1, MigrationPhase.Succeeded, List.of(), null, 4096, t, t.plusSeconds(60),
        t.plusSeconds(67), Duration.ofSeconds(7), "", List.of(), phases);
    new ReconcilerMetrics(controller.metrics().registry()).migrationEnded(MigrationPhase.Succeeded, ended);

    String median = "histogram_quantile(0.5, sum by (le) (ferry_migration_downtime_seconds_bucket{job=\"ferry-controller\"}))";
    await().atMost(EVENTUALLY).until(() -> query("ferry_migration_downtime_seconds_count").equals(Optional.of(1.0)));
    // One observation of 7 s, in the (5, 10] bucket: Prometheus interpolates to its middle.
    assertThat(query(median)).hasValue(7.5);
    assertThat(query("ferry_migration_phase_duration_seconds_sum{phase=\"PreCopy\",outcome=\"Succeeded\"}"))
        .hasValue(60.0);
    assertThat(query("ferry_migration_bytes_total")).hasValue(4096.0);
  }

  @Test
  void everyControllerMetricTheDashboardUsesIsServed() throws Exception {
    GrafanaDashboard dashboard = GrafanaDashboard.read(TestData.repositoryFile("docs/grafana/ferry.json"));
    Set<String> wanted = dashboard.metricsOf("ferry-controller");
    // Some meters appear with their first labels: a reconcile, a sync, an ended migration.
    await().atMost(EVENTUALLY).until(controller::isLeading);
    api("PUT", "/apis/ferry/v1/statefulapps/shop", TestManifests.redisApp("shop", "{}", "ssd"));
    api("PUT", "/apis/ferry/v1/gitsources/cfg", """
        apiVersion: ferry/v1
        kind: GitSource
        metadata: {name: cfg}
        spec: {url: "https://127.0.0.1:1/nowhere.git"}
        """);
    // A migration needs a placed dataset (agents, ZFS): its end is recorded as the reconciler does.
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    MigrationStatus failed = MigrationStatus.EMPTY.withPhase(MigrationPhase.PreCopy, "", t)
        .finished(MigrationPhase.Failed, t.plusSeconds(3), null, "the target refused");
    new ReconcilerMetrics(controller.metrics().registry()).migrationEnded(MigrationPhase.Failed, failed);

    await().atMost(EVENTUALLY).until(() -> GrafanaDashboard.served(scrape()).containsAll(wanted));

    assertThat(wanted).contains("ferry_reconcile_duration_seconds_bucket", "ferry_api_request_duration_seconds_bucket",
        "ferry_migration_phase_duration_seconds_bucket", "jvm_memory_used_bytes");
    assertThat(GrafanaDashboard.served(scrape())).containsAll(wanted);
  }

  private static ManagedProcess startPrometheus() throws Exception {
    prometheusPort = FreePort.pick();
    Path token = Files.writeString(dir.resolve("scrape-token"), SCRAPER);
    Path config = Files.writeString(dir.resolve("prometheus.yml"), """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        scrape_configs:
          - job_name: ferry-controller
            authorization: {type: Bearer, credentials_file: %s}
            static_configs: [{targets: ["127.0.0.1:%d"]}]
        """.formatted(token, controller.apiPort()));
    ManagedProcess started = ManagedProcess.start("prometheus", List.of("/usr/bin/prometheus",
        "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
        "--web.listen-address=127.0.0.1:" + prometheusPort), Map.of(), dir.resolve("prometheus.log"));
    try {
      return started.awaitReady("ready on " + prometheusPort, EVENTUALLY,
          () -> {
            try {
              return get("http://127.0.0.1:" + prometheusPort + "/-/ready").statusCode() == 200;
            } catch (UncheckedIOException notYet) {
              return false;
            }
          });
    } catch (RuntimeException e) {
      started.stop(Duration.ofSeconds(10));
      throw e;
    }
  }

  /** The single value of an instant query, if it has exactly one. */
  private static Optional<Double> query(String promql) throws Exception {
    HttpResponse<String> answer = get("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode result = JSON.readTree(answer.body()).path("data").path("result");
    if (answer.statusCode() != 200 || result.size() != 1) {
      return Optional.empty();
    }
    return Optional.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
  }

  private static String scrape() throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.apiPort() + "/metrics"))
        .header("Authorization", "Bearer " + SCRAPER).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static void api(String method, String path, String body) throws Exception {
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.apiPort() + path))
        .header("Authorization", "Bearer " + ADMIN).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isIn(200, 201);
  }

  private static HttpResponse<String> get(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
