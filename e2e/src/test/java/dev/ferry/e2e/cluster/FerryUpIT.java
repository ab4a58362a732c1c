package dev.ferry.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.api.process.Command;
import dev.ferry.api.process.FreePort;
import dev.ferry.api.process.ManagedProcess;
import dev.ferry.api.tls.SslContexts;
import dev.ferry.api.tls.TlsFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./ferry up}, {@code status} and {@code down} as a user runs them, on free ports and
 * with its own pool names and state directory, so that it never meets a developer's cluster
 * on the defaults. Whatever happens, {@code ./ferry down} runs after each test.
 */
class FerryUpIT {

  private static final Path HOME = Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path dir;

  private Path stateDir;
  private Path ferryctlConfig;
  private String poolPrefix;
  private int schedulerPort;
  private List<String> options;

  @BeforeEach
  void chooseEverythingAway() {
    stateDir = dir.resolve("state");
    ferryctlConfig = dir.resolve("ferryctl-config");
    poolPrefix = "ferrye2e" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    schedulerPort = FreePort.pick();
    options = new ArrayList<>(List.of(
        "--state-dir", stateDir.toString(),
        "--scheduler-port", Integer.toString(schedulerPort),
        "--controller-port", Integer.toString(FreePort.pick()),
        "--agent-port", Integer.toString(FreePort.pick()),
        "--etcd-port", Integer.toString(FreePort.pick()),
        "--etcd-peer-port", Integer.toString(FreePort.pick()),
        "--zookeeper-port", Integer.toString(FreePort.pick()),
        "--pool-prefix", poolPrefix,
        "--pool-size", "128M",
        "--context", "e2e",
        "--ferryctl-config", ferryctlConfig.toString()));
  }

  @AfterEach
  void downWhateverHappened() {
    ferry(Map.of(), "down", "--state-dir", stateDir.toString());
  }

  @Test
  void upRunsRealTasksAndDownLeavesNoProcessPoolOrMountBehind() throws Exception {
    Result up = ferry(Map.of(), "up", options.toArray(String[]::new));
    assertThat(up.exit()).as(up.output()).isZero();
    assertThat(up.output()).contains("the cluster is up");
    long supervisor = Long.parseLong(Files.readString(stateDir.resolve("supervisor.pid")).strip());

    JsonNode info = Json.json().readTree(get("/v2/info").body());
    assertThat(info.path("name").asText()).isEqualTo("marathon");
    assertThat(info.path("elected").asBoolean()).isTrue();
    for (String field : List.of("version", "leader", "frameworkId", "marathon_config", "zookeeper_config", "http_config")) {
      assertThat(info.has(field)).as("/v2/info has %s: %s", field, info).isTrue();
    }
    assertThat(poolsOfThisTest()).containsExactlyInAnyOrder(poolPrefix + "-node1", poolPrefix + "-node2");
    assertThat(Files.readString(ferryctlConfig)).contains("name: e2e").contains("current-context: e2e");

    Result again = ferry(Map.of(), "up", options.toArray(String[]::new));
    assertThat(again.exit()).as(again.output()).isZero();
    assertThat(again.output()).contains("already up");
    assertThat(Long.parseLong(Files.readString(stateDir.resolve("supervisor.pid")).strip())).isEqualTo(supervisor);

    // The demo ends with `down`: on a cluster that is already up it must refuse, not take it over.
    Result demo = ferry(Map.of(), "demo", "--no-build", "--state-dir", stateDir.toString());
    assertThat(demo.exit()).as(demo.output()).isEqualTo(1);
    assertThat(demo.output()).contains("DEMO FAILED: a cluster is already up in " + stateDir.toRealPath());
    assertThat(ProcessHandle.of(supervisor).map(ProcessHandle::isAlive)).as("the cluster still runs").contains(true);
    assertThat(poolsOfThisTest()).containsExactlyInAnyOrder(poolPrefix + "-node1", poolPrefix + "-node2");

    String appId = "/e2e-sleeper-" + poolPrefix;
    HttpResponse<String> created = send("POST", "/v2/apps",
        "{\"id\":\"" + appId + "\",\"cmd\":\"sleep 3600\",\"cpus\":0.1,\"mem\":16,\"instances\":1}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(60)).until(() -> !tasksOf(appId).isEmpty());
    assertThat(tasksOf(appId)).as("the task runs as a real process with Marathon's environment").isNotEmpty();

    Result status = ferry(Map.of(), "status", "--state-dir", stateDir.toString());
    assertThat(status.exit()).as(status.output()).isZero();
    assertThat(status.output()).contains("scheduler", "alive", poolPrefix + "-node1", "127.0.1.2");

    HttpResponse<String> deleted = send("DELETE", "/v2/apps" + appId, "");
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(60)).until(() -> tasksOf(appId).isEmpty());

    Result down = ferry(Map.of(), "down", "--state-dir", stateDir.toString());
    assertThat(down.exit()).as(down.output()).isZero();
    assertNothingLeft();
    assertThat(ferryctlConfig).as("the only context was up's, so the file goes").doesNotExist();

    Result downAgain = ferry(Map.of(), "down", "--state-dir", stateDir.toString());
    assertThat(downAgain.exit()).as(downAgain.output()).isZero();
    assertThat(downAgain.output()).contains("nothing to do");
  }

  /**
   * Issue 11: everything of {@code up}'s cluster speaks TLS under a CA of its own. A client that
   * does not trust that CA is refused by the API and by an agent; an agent takes only clients
   * with a certificate of the CA; etcd takes no client without one, so only the cluster's
   * components can read or write it; ferryctl works with the CA its context names.
   */
  @Test
  void upRunsEverythingOverTlsAndRefusesWhomTheClusterCaDidNotCertify() throws Exception {
    Result up = ferry(Map.of(), "up", options.toArray(String[]::new));
    assertThat(up.exit()).as(up.output()).isZero();
    Path tls = stateDir.resolve("secrets").resolve("tls");
    try (Stream<Path> files = Files.list(tls)) {
      assertThat(files.filter(f -> f.toString().endsWith(".key")).toList()).hasSize(6).allSatisfy(key ->
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).as("%s", key).isEqualTo("rw-------"));
    }
    TlsFiles admin = new TlsFiles(tls.resolve("admin.crt"), tls.resolve("admin.key"), tls.resolve("ca.crt"));
    TlsFiles agentOne = new TlsFiles(tls.resolve("agent-node1.crt"), tls.resolve("agent-node1.key"), tls.resolve("ca.crt"));
    String api = "https://127.0.0.1:" + option("--controller-port");
    String agentTwo = "https://127.0.1.2:" + option("--agent-port") + "/v1/datasets/none/snapshots";
    String etcd = "https://127.0.0.1:" + option("--etcd-port");

    // The API: HTTPS only, under the cluster CA.
    assertThat(status(client(SslContexts.trusting(tls.resolve("ca.crt"))), api + "/healthz")).isEqualTo(200);
    assertThatThrownBy(() -> status(client(SSLContext.getDefault()), api + "/healthz"))
        .as("a client trusting only the JDK's CAs").isInstanceOf(SSLHandshakeException.class);
    assertThat(statusOrRefused(() -> status(HTTP, "http://127.0.0.1:" + option("--controller-port") + "/healthz")))
        .as("plain HTTP to the API").isIn(400, -1);

    // ferryctl with the CA of its context; without it, a clear refusal.
    assertThat(Files.readString(ferryctlConfig)).contains("certificate-authority", tls.resolve("ca.crt").toString());
    Result nodes = ferryctl(Map.of(), "get", "nodes");
    assertThat(nodes.exit()).as(nodes.output()).isZero();
    assertThat(nodes.output()).contains("node1", "node2");
    Result foreignCa = ferryctl(Map.of(), "get", "nodes", "--certificate-authority", "/etc/ssl/certs/ca-certificates.crt");
    assertThat(foreignCa.exit()).as(foreignCa.output()).isEqualTo(1);
    assertThat(foreignCa.output()).contains("cannot trust the Ferry API at " + api, "certificate-authority");
    Result insecure = ferryctl(Map.of(), "get", "nodes", "--certificate-authority", "/etc/ssl/certs/ca-certificates.crt",
        "--insecure-skip-tls-verify");
    assertThat(insecure.exit()).as(insecure.output()).isZero();

    // An agent: mutual TLS. Another agent's certificate gets an HTTP answer; no certificate, or
    // not trusting the CA, gets no answer at all.
    assertThat(status(client(SslContexts.mutual(agentOne)), agentTwo)).isBetween(200, 499);
    assertThatThrownBy(() -> status(client(SslContexts.trusting(tls.resolve("ca.crt"))), agentTwo))
        .as("a client without a certificate").isInstanceOf(IOException.class);
    assertThatThrownBy(() -> status(client(SSLContext.getDefault()), agentTwo))
        .as("a client trusting only the JDK's CAs").isInstanceOf(SSLHandshakeException.class);

    // etcd: --client-cert-auth. A write with a certificate of the CA works; without one, none.
    String put = "{\"key\":\"" + base64("/tls-probe") + "\",\"value\":\"" + base64("x") + "\"}";
    assertThat(post(client(SslContexts.mutual(admin)), etcd + "/v3/kv/put", put)).isEqualTo(200);
    assertThatThrownBy(() -> post(client(SslContexts.trusting(tls.resolve("ca.crt"))), etcd + "/v3/kv/put", put))
        .as("an etcd client without a certificate").isInstanceOf(IOException.class);
    // Go's TLS server answers plain HTTP with a 400 of its own, or the connection just closes.
    assertThat(statusOrRefused(() -> post(HTTP, "http://127.0.0.1:" + option("--etcd-port") + "/v3/kv/put", put)))
        .as("plain HTTP to etcd").isIn(400, -1);
  }

  @Test
  void plainHttpIsThereOnlyWhenAskedFor() throws Exception {
    options.add("--plain-http");
    Result up = ferry(Map.of(), "up", options.toArray(String[]::new));
    assertThat(up.exit()).as(up.output()).isZero();
    assertThat(stateDir.resolve("secrets").resolve("tls")).doesNotExist();
    assertThat(status(HTTP, "http://127.0.0.1:" + option("--controller-port") + "/healthz")).isEqualTo(200);
    Result nodes = ferryctl(Map.of(), "get", "nodes");
    assertThat(nodes.exit()).as(nodes.output()).isZero();
    assertThat(nodes.output()).contains("node1", "node2");
  }

  @Test
  void aPortInUseIsAClearErrorAndNothingIsStarted() throws IOException {
    try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
      taken.bind(new java.net.InetSocketAddress("127.0.0.1", schedulerPort));

      Result up = ferry(Map.of(), "up", options.toArray(String[]::new));

      assertThat(up.exit()).isEqualTo(1);
      assertThat(up.output()).contains("127.0.0.1:" + schedulerPort, "already in use", "--scheduler-port",
          "nothing was started");
    }
    assertNothingLeft();
  }

  @Test
  void aComponentThatCannotStartMakesUpStopWhatItStarted() throws IOException {
    // etcd starts; the first Java component (ZooKeeper) cannot: up must stop etcd again.
    Result up = ferry(Map.of("FERRY_JAVA_OPTS", "-Xno-such-option"), "up", options.toArray(String[]::new));

    assertThat(up.exit()).isEqualTo(1);
    assertThat(up.output()).contains("etcd is up", "zookeeper exited", "everything it started is stopped again");
    assertNothingLeft();
  }

  private void assertNothingLeft() throws IOException {
    assertThat(processesMentioning(stateDir.toString())).as("processes of the cluster").isEmpty();
    assertThat(poolsOfThisTest()).as("pools of the cluster").isEmpty();
    assertThat(Files.readAllLines(Path.of("/proc/mounts"))).as("mounts under the state directory")
        .noneMatch(line -> line.contains(stateDir.toString()));
  }

  /** Live processes of the app: real processes carrying Marathon's MARATHON_APP_ID. */
  private List<Long> tasksOf(String appId) throws IOException {
    return processesWithEnvironment("MARATHON_APP_ID=" + appId);
  }

  private List<String> poolsOfThisTest() {
    return Command.run("zpool", "list", "-H", "-o", "name").stdout().lines()
        .filter(name -> name.startsWith(poolPrefix)).toList();
  }

  private static List<Long> processesMentioning(String text) throws IOException {
    List<Long> pids = new ArrayList<>(matching("cmdline", text));
    pids.addAll(matching("environ", text));
    return pids.stream().distinct().filter(pid -> pid != ProcessHandle.current().pid()).toList();
  }

  private static List<Long> processesWithEnvironment(String entry) throws IOException {
    return matching("environ", entry);
  }

  /** Pids whose /proc/PID/FILE ({@code cmdline} or {@code environ}) contains {@code text}. */
  private static List<Long> matching(String file, String text) throws IOException {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        String content;
        try {
          content = new String(Files.readAllBytes(proc.resolve(file)), StandardCharsets.UTF_8);
        } catch (IOException e) {
          continue; // the process ended while we looked
        }
        if (content.contains(text)) {
          pids.add(Long.parseLong(proc.getFileName().toString()));
        }
      }
    }
    return pids;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send("GET", path, "");
  }

  private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + schedulerPort + path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("Authorization", MarathonCredentials.read(stateDir.resolve("secrets").resolve("marathon-credentials"))
            .authorization())
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private record Result(int exit, String output) {}

  private String option(String name) {
    return options.get(options.indexOf(name) + 1);
  }

  private static HttpClient client(SSLContext tls) {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .sslContext(tls).build();
  }

  private static int status(HttpClient http, String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int post(HttpClient http, String url, String json) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private interface Call {
    int status() throws IOException, InterruptedException;
  }

  /** The call's HTTP status, or -1 when the connection failed. */
  private static int statusOrRefused(Call call) throws InterruptedException {
    try {
      return call.status();
    } catch (IOException e) {
      return -1;
    }
  }

  private static String base64(String text) {
    return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Runs {@code ./ferryctl ARGS} with the ferryctl config {@code up} wrote. */
  private Result ferryctl(Map<String, String> env, String... args) {
    List<String> line = new ArrayList<>(List.of(HOME.resolve("ferryctl").toString()));
    line.addAll(List.of(args));
    Path log = dir.resolve("ferryctl-" + System.nanoTime() + ".log");
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("FERRY_CONFIG", ferryctlConfig.toString());
    ManagedProcess process = ManagedProcess.start("ferryctl", line, all, log);
    int exit = process.awaitExit(COMMAND_TIMEOUT);
    try {
      return new Result(exit, Files.readString(log));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Runs {@code ./ferry COMMAND ARGS} to completion; its output is in the result. */
  private Result ferry(Map<String, String> env, String command, String... args) {
    List<String> line = new ArrayList<>(List.of(HOME.resolve("ferry").toString(), command));
    line.addAll(List.of(args));
    Path log = dir.resolve("ferry-" + command + "-" + System.nanoTime() + ".log");
    ManagedProcess process = ManagedProcess.start("./ferry " + command, line, env, log);
    int exit = process.awaitExit(COMMAND_TIMEOUT);
    try {
      return new Result(exit, Files.readString(log));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
