package dev.ferry.e2e.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.process.Directories;
import dev.ferry.api.process.FreePort;
import dev.ferry.api.process.ManagedProcess;
import dev.ferry.api.tls.TlsFiles;
import dev.ferry.devcluster.launcher.ClusterRecord;
import dev.ferry.devcluster.launcher.StateDir;
import dev.ferry.e2e.fault.FaultCluster;
import dev.ferry.e2e.fault.FaultRun;
import dev.ferry.e2e.fault.RedisUnderLoad;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's last bullet: a real Prometheus (Debian's {@code /usr/bin/prometheus}) scrapes the
 * controller and both node agents of a real {@code ./ferry up} cluster (TLS everywhere, verified
 * against the cluster's CA) with the scrape configuration docs/metrics.md recommends, and after a
 * real move of a Redis StatefulApp, PromQL over the migration-downtime histogram answers, and the
 * agents' counters are there under both nodes' labels.
 */
class PrometheusScrapeIT {

  private static final Path HOME = Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  /** Generous: the machine runs other suites at the same time. */
  private static final Duration DEADLINE = Duration.ofMinutes(3);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();

  @Test
  void prometheusScrapesTheControllerAndBothAgentsAndAnswersOverTheDowntimeHistogramAfterAMove() throws Exception {
    assertTrue(Files.isExecutable(PROMETHEUS), PROMETHEUS + " is missing: scripts/setup.sh installs Debian's prometheus");
    Path dir = Files.createTempDirectory("ferry-prometheus-");
    FaultCluster faults = null;
    RedisUnderLoad redis = null;
    ManagedProcess prometheus = null;
    try {
      faults = FaultCluster.up(HOME, Quantity.mebibytes(256));
      redis = RedisUnderLoad.start(faults, HOME, "scraped", 10);
      StateDir state = new StateDir(faults.cluster().stateDir());

      // docs/metrics.md: an operator adds a token of role metrics to the tokens file; the
      // controller reloads the file by itself.
      String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
      Files.writeString(state.tokens(), token + ",prometheus,metrics\n", StandardOpenOption.APPEND);
      Path tokenFile = Files.writeString(dir.resolve("ferry-token"), token + "\n");
      Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));

      Map<String, String> agents = agentAddresses(faults.cluster().record());
      int port = FreePort.pick();
      Path config = Files.writeString(dir.resolve("prometheus.yml"),
          config(faults.cluster().apiUrl().replace("https://", ""), agents, tokenFile, state.tls("admin")));
      prometheus = ManagedProcess.start("prometheus", List.of(PROMETHEUS.toString(),
          "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port), Map.of(), dir.resolve("prometheus.log"));
      String url = "http://127.0.0.1:" + port;
      prometheus.awaitReady("ready", DEADLINE, () -> status(url + "/-/ready") == 200);

      // Every target up: the controller with the metrics token over verified HTTPS, both agents
      // over mutual TLS.
      Map<String, String> health = new TreeMap<>();
      try {
        await("all three targets up", () -> {
          health.clear();
          api(url, "/api/v1/targets?state=active").path("data").path("activeTargets").forEach(t ->
              health.put(t.path("labels").path("job").asText() + " " + t.path("labels").path("instance").asText(),
                  t.path("health").asText() + " " + t.path("lastError").asText()));
          return health.size() == 3 && health.values().stream().allMatch(h -> h.startsWith("up"));
        });
      } catch (IllegalStateException timedOut) {
        throw new AssertionError(timedOut.getMessage() + "; targets (health, last error): " + health, timedOut);
      }
      assertEquals(List.of("ferry-agent " + agents.get("node1"), "ferry-agent " + agents.get("node2"),
          "ferry-controller " + faults.cluster().apiUrl().replace("https://", "")), List.copyOf(health.keySet()));

      String from = redis.primary();
      String to = redis.other(from);
      FaultRun move = redis.moveWithoutFault(DEADLINE);
      assertEquals("Succeeded", move.outcome(), "the move: " + move);

      // The one successful move is in the downtime histogram, and a quantile over it is a number.
      await("ferry_migration_downtime_seconds_count of 1", () ->
          value(url, "sum(ferry_migration_downtime_seconds_count{job=\"ferry-controller\"})") == 1);
      await("a median downtime from the histogram's buckets", () -> {
        double median = value(url,
            "histogram_quantile(0.5, sum by (le) (rate(ferry_migration_downtime_seconds_bucket{job=\"ferry-controller\"}[5m])))");
        return median > 0 && Double.isFinite(median);
      });
      assertEquals(1.0, value(url, "sum(ferry_migrations_total{job=\"ferry-controller\",outcome=\"Succeeded\"})"));

      // Both agents are scraped under their own instance and node labels; the source counted
      // what it sent and the target what it received.
      await("ferry_agent_zfs_launches_total of both nodes", () -> {
        Map<String, String> instances = new TreeMap<>();
        for (JsonNode s : query(url, "ferry_agent_zfs_launches_total{job=\"ferry-agent\"} > 0")) {
          instances.put(s.path("metric").path("node").asText(), s.path("metric").path("instance").asText());
        }
        return instances.equals(new TreeMap<>(agents));
      });
      await("bytes sent by " + from + " and received by " + to, () ->
          value(url, "sum(ferry_transfer_bytes_total{job=\"ferry-agent\",node=\"" + from + "\",direction=\"sent\"})") > 0
              && value(url, "sum(ferry_transfer_bytes_total{job=\"ferry-agent\",node=\"" + to
                  + "\",direction=\"received\"})") > 0);

      // docs/metrics.md lists every Ferry metric the controller and the agents serve.
      assertEquals(List.of(), undocumented(url, Files.readString(HOME.resolve("docs/metrics.md"))),
          "ferry_ metrics Prometheus scraped that docs/metrics.md does not list");
    } finally {
      if (prometheus != null) {
        prometheus.close();
      }
      if (redis != null) {
        redis.close();
      }
      if (faults != null) {
        faults.close(HOME.resolve("e2e/target/prometheus-scrape-logs"));
      }
      copyQuietly(dir.resolve("prometheus.log"), HOME.resolve("e2e/target/prometheus-scrape-logs/prometheus.log"));
      Directories.delete(dir);
    }
  }

  /**
   * The scrape configuration docs/metrics.md recommends, for this cluster's addresses: the
   * controller over HTTPS with a metrics token, the agents over mutual TLS with a client
   * certificate of the cluster CA, both verified against the CA. Each agent target carries its
   * node's name as a {@code node} label.
   */
  static String config(String controller, Map<String, String> agents, Path tokenFile, TlsFiles client) {
    StringBuilder agentTargets = new StringBuilder();
    agents.forEach((node, address) -> agentTargets.append("""
              - targets: ["%s"]
                labels: {node: %s}
        """.formatted(address, node)));
    return """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: ferry-controller
            scheme: https
            authorization: {type: Bearer, credentials_file: %s}
            tls_config: {ca_file: %s}
            static_configs:
              - targets: ["%s"]
          - job_name: ferry-agent
            scheme: https
            tls_config: {ca_file: %s, cert_file: %s, key_file: %s}
            static_configs:
        %s""".formatted(tokenFile, client.caFile(), controller, client.caFile(), client.certFile(), client.keyFile(),
        agentTargets);
  }

  /**
   * The {@code ferry_} metric names Prometheus holds that {@code docs} does not name in backticks;
   * a histogram's {@code _bucket}, {@code _count}, {@code _sum} and {@code _max} count as
   * documented with the histogram.
   */
  private List<String> undocumented(String url, String docs) throws IOException, InterruptedException {
    List<String> missing = new ArrayList<>();
    for (JsonNode n : api(url, "/api/v1/label/__name__/values").path("data")) {
      String name = n.asText();
      String base = name.replaceFirst("_(bucket|count|sum|max)$", "");
      if (name.startsWith("ferry_") && !docs.contains("`" + name + "`") && !docs.contains("`" + base + "`")) {
        missing.add(name);
      }
    }
    return missing;
  }

  /** Node name to its agent's {@code host:port}, from the components {@code ./ferry up} recorded. */
  private static Map<String, String> agentAddresses(ClusterRecord record) {
    Map<String, String> agents = new TreeMap<>();
    for (ClusterRecord.Node n : record.nodes()) {
      String address = record.components().stream().filter(c -> c.name().equals("agent-" + n.name()))
          .map(ClusterRecord.Component::address).findFirst()
          .orElseThrow(() -> new IllegalStateException("no component agent-" + n.name() + " in " + record.components()));
      agents.put(n.name(), address);
    }
    assertEquals(2, agents.size(), "agents " + agents);
    return agents;
  }

  /** The instant vector a PromQL query answers, as Prometheus' {@code data.result}. */
  private List<JsonNode> query(String url, String promql) throws IOException, InterruptedException {
    JsonNode answer = api(url, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (!answer.path("status").asText().equals("success")) {
      throw new IllegalStateException("query " + promql + " answered " + answer);
    }
    List<JsonNode> result = new ArrayList<>();
    answer.path("data").path("result").forEach(result::add);
    return result;
  }

  /** The single number a query answers; NaN when it answers nothing yet. */
  private double value(String url, String promql) throws IOException, InterruptedException {
    List<JsonNode> result = query(url, promql);
    if (result.isEmpty()) {
      return Double.NaN;
    }
    assertEquals(1, result.size(), promql + " answered " + result);
    return Double.parseDouble(result.get(0).path("value").path(1).asText());
  }

  private JsonNode api(String url, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString());
    return Json.json().readTree(r.body());
  }

  private int status(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static void await(String what, RedisUnderLoad.Check check) throws Exception {
    RedisUnderLoad.await(what, DEADLINE, check);
  }

  private static void copyQuietly(Path from, Path to) {
    try {
      if (Files.exists(from)) {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      System.err.println("could not keep " + from + ": " + e.getMessage());
    }
  }
}
