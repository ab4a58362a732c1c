package dev.ferry.e2e.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Quantity;
import dev.ferry.devcluster.launcher.ClusterRecord;
import dev.ferry.devcluster.launcher.StateDir;
import dev.ferry.api.process.Directories;
import dev.ferry.api.process.EtcdCommand;
import dev.ferry.api.process.FreePort;
import dev.ferry.api.process.ManagedProcess;
import dev.ferry.api.store.EtcdConfig;
import dev.ferry.api.tls.SslContexts;
import dev.ferry.api.tls.TlsFiles;
import dev.ferry.devcluster.launcher.StateDir;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.ferry.api.marathon.MarathonCredentials;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real one-machine cluster of {@code ./ferry up} (two nodes, real tasks, zfs-fuse pools, every
 * component its own OS process) for a benchmark or a fault test: a state directory under /tmp, free ports, pools named after a random prefix and its
 * own ferryctl contexts file, so that it never meets a developer's cluster. Closing it runs
 * {@code ./ferry down}; a JVM shutdown hook does too, should the benchmark be interrupted.
 */
public final class FerryUpCluster implements AutoCloseable {

  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);
  /**
   * {@code ./ferry down} takes seconds; one that hangs (a zfs command stuck in a wedged zfs-fuse)
   * must not hold a test run, or the JVM's exit, for the ten minutes {@code up} may take.
   */
  private static final Duration DOWN_TIMEOUT = Duration.ofMinutes(3);

  private final Path home;
  private final Path dir;
  private final Path stateDir;
  private final int schedulerPort = FreePort.pick();
  private final int controllerPort = FreePort.pick();
  private final int etcdPort = FreePort.pick();
  private final Thread downOnExit = new Thread(this::down, "ferry-bench-down");
  private boolean down;
  /** Trusts this cluster's CA, which exists once {@code up} has run. */
  private HttpClient http;

  private FerryUpCluster(Path home, Path dir) {
    this.home = home;
    this.dir = dir;
    this.stateDir = dir.resolve("state");
  }

  /** Starts a cluster whose pools hold {@code poolSize} each; fails with up's output. */
  public static FerryUpCluster up(Path home, Quantity poolSize) throws IOException {
    Path dir = Files.createTempDirectory("ferry-bench-");
    // Tasks reach their dataset's mount below this directory whatever user they run as.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    FerryUpCluster cluster = new FerryUpCluster(home, dir);
    Runtime.getRuntime().addShutdownHook(cluster.downOnExit);
    String poolPrefix = "ferrybench" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    // 127.0.2.0/24 to 127.0.254.0/24: never ./ferry up's and the demo's 127.0.1.0/24.
    String subnet = "127.0." + (2 + new SecureRandom().nextInt(253));
    List<String> up = new ArrayList<>(List.of(home.resolve("ferry").toString(), "up",
        "--state-dir", cluster.stateDir.toString(),
        "--scheduler-port", Integer.toString(cluster.schedulerPort),
        "--controller-port", Integer.toString(cluster.controllerPort),
        "--agent-port", Integer.toString(FreePort.pick()),
        "--etcd-port", Integer.toString(cluster.etcdPort),
        "--etcd-peer-port", Integer.toString(FreePort.pick()),
        "--zookeeper-port", Integer.toString(FreePort.pick()),
        "--pool-prefix", poolPrefix,
        // Nodes of their own: ./ferry up's default 127.0.1.N is every cluster's, and its tasks take
        // the same ports from 31000 on, so two clusters on one machine (a CI run beside a fault
        // run) could bind one Redis where both schedulers' health checks and clients find it:
        // one cluster's writes then land in the other's database, "lost" to its own checks.
        "--node", "node1=" + subnet + ".1:disk=spinning",
        "--node", "node2=" + subnet + ".2:disk=ssd",
        "--pool-size", (poolSize.bytes() >> 20) + "M",
        "--context", "bench",
        "--ferryctl-config", dir.resolve("ferryctl-config").toString()));
    System.out.printf("starting the cluster: pools %s-node1/-node2 of %d MiB, state in %s%n", poolPrefix,
        poolSize.bytes() >> 20, cluster.stateDir);
    if (cluster.run("ferry-up", up) != 0) {
      String output = Files.readString(cluster.log("ferry-up"));
      cluster.close();
      throw new IOException("./ferry up failed:\n" + output);
    }
    return cluster;
  }

  public String marathonUrl() {
    return "http://127.0.0.1:" + schedulerPort;
  }

  /** The scheduler's basic-auth credentials {@code ./ferry up} wrote for this cluster. */
  public MarathonCredentials marathonCredentials() {
    return MarathonCredentials.read(stateDir.resolve("secrets").resolve("marathon-credentials"));
  }

  public String apiUrl() {
    return "https://127.0.0.1:" + controllerPort;
  }

  /** The cluster's etcd, with the admin client certificate {@code ./ferry up} issued (etcd takes no client without one). */
  public EtcdConfig etcd() {
    TlsFiles admin = new StateDir(stateDir).tls("admin");
    return EtcdConfig.of(EtcdCommand.tlsUrl(etcdPort))
        .withTls(EtcdConfig.Tls.trusting(admin.caFile()).withClientCert(admin.certFile(), admin.keyFile()));
  }

  /** The admin token {@code ./ferry up} wrote for this cluster. */
  public String token() throws IOException {
    return Files.readAllLines(stateDir.resolve("secrets").resolve("tokens")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow().split(",")[0];
  }

  /** The state directory {@code ./ferry up} was given: cluster.json, pid files, logs, pools' files. */
  public Path stateDir() {
    return stateDir;
  }

  /** What {@code ./ferry up} recorded of the cluster: its components' pids, its nodes and pools. */
  public ClusterRecord record() {
    return ClusterRecord.read(new StateDir(stateDir))
        .orElseThrow(() -> new IllegalStateException("no cluster.json in " + stateDir));
  }

  /** {@code GET} of one object through the API; empty on 404. */
  public Optional<JsonNode> get(String plural, String name) throws IOException, InterruptedException {
    HttpResponse<String> r = send("GET", "/apis/ferry/v1/" + plural + "/" + name, "");
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    if (r.statusCode() >= 300) {
      throw new IOException("get of " + plural + "/" + name + " answered " + r.statusCode() + ": " + r.body());
    }
    return Optional.of(Json.json().readTree(r.body()));
  }

  /** {@code GET} of every object of a kind through the API: the items of every page of the list. */
  public List<JsonNode> list(String plural) throws IOException, InterruptedException {
    List<JsonNode> items = new ArrayList<>();
    String next = "";
    do {
      HttpResponse<String> r = send("GET", "/apis/ferry/v1/" + plural
          + (next.isEmpty() ? "" : "?continue=" + URLEncoder.encode(next, StandardCharsets.UTF_8)), "");
      if (r.statusCode() >= 300) {
        throw new IOException("list of " + plural + " answered " + r.statusCode() + ": " + r.body());
      }
      JsonNode page = Json.json().readTree(r.body());
      page.path("items").forEach(items::add);
      next = page.at("/metadata/continue").asText("");
    } while (!next.isEmpty());
    return items;
  }

  /** The tasks Marathon's API lists for {@code appId} ({@code /v2/apps/ID/tasks}); empty when it does not answer. */
  public Optional<JsonNode> tasks(String appId) {
    try {
      HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create(marathonUrl() + "/v2/apps" + appId
          + "/tasks")).header("Authorization", marathonCredentials().authorization())
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(Json.json().readTree(r.body()).path("tasks")) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code PUT} (create or replace) of a manifest through the API, as {@code ferryctl apply} does. */
  public void apply(String plural, String name, String manifest) throws IOException, InterruptedException {
    HttpResponse<String> r = send("PUT", "/apis/ferry/v1/" + plural + "/" + name, manifest);
    if (r.statusCode() >= 300) {
      throw new IOException("apply of " + plural + "/" + name + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  /** {@code DELETE} through the API; a missing object is no error. */
  public void delete(String plural, String name) throws IOException, InterruptedException {
    HttpResponse<String> r = send("DELETE", "/apis/ferry/v1/" + plural + "/" + name, "");
    if (r.statusCode() >= 300 && r.statusCode() != 404) {
      throw new IOException("delete of " + plural + "/" + name + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl() + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token()).header("Content-Type", "application/yaml")
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http().send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A client that trusts the cluster's CA, for the API (HTTPS) and the scheduler (plain HTTP)
   * alike. Its connect timeout covers the TLS handshake, which takes seconds on a machine under
   * a test run's load (2 s failed a bench's first apply at a load of 30).
   */
  public synchronized HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(15))
          .sslContext(SslContexts.trusting(new StateDir(stateDir).tls("controller").caFile())).build();
    }
    return http;
  }

  private Path log(String name) {
    return dir.resolve(name + ".log");
  }

  private int run(String name, List<String> command) {
    if (name.equals("ferry-down")) {
      return runUnmanaged(command, log(name));
    }
    ManagedProcess process = ManagedProcess.start(name, command, Map.of("FERRY_CONFIG",
        dir.resolve("ferryctl-config").toString()), log(name));
    return process.awaitExit(COMMAND_TIMEOUT);
  }

  /**
   * {@code ./ferry down} outside {@link ManagedProcess}: when the JVM is stopped (a test run
   * interrupted), down runs in a shutdown hook, and ManagedProcess's own hook, running at the same
   * time, would stop it midway and leave the cluster and its pools behind.
   */
  private int runUnmanaged(List<String> command, Path logFile) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().put("FERRY_CONFIG", dir.resolve("ferryctl-config").toString());
    try {
      Process process = builder.start();
      if (!process.waitFor(DOWN_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (IOException e) {
      System.err.println("bench: cannot run " + command + ": " + e.getMessage());
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private synchronized void down() {
    if (down) {
      return;
    }
    down = true;
    int exit = run("ferry-down", List.of(home.resolve("ferry").toString(), "down", "--state-dir", stateDir.toString()));
    if (exit != 0) {
      System.err.println("bench: ./ferry down --state-dir " + stateDir + " failed; see " + log("ferry-down"));
    }
  }

  /**
   * {@code ./ferry down}, then the cluster's logs (one per process) are copied to {@code logs}
   * for reading the cut-over's timeline, and the temp directory is removed.
   */
  public void close(Path logs) {
    down();
    try {
      Runtime.getRuntime().removeShutdownHook(downOnExit);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs down(), which is done.
    }
    try {
      Directories.delete(logs);
      Files.createDirectories(logs);
      try (var files = Files.list(stateDir.resolve("logs"))) {
        for (Path f : files.toList()) {
          Files.copy(f, logs.resolve(f.getFileName()));
        }
      }
      copyTaskOutput(logs);
      Directories.delete(dir);
    } catch (IOException e) {
      System.err.println("bench: could not copy the cluster's logs to " + logs + " (" + e + "); they stay in "
          + stateDir.resolve("logs"));
    }
  }

  /**
   * Each task's stdout and stderr (the app's own log: what Redis loaded at its start, why a
   * launch was refused), from the scheduler's sandboxes, as {@code task-NODE-SANDBOX-stdout.log}.
   */
  private void copyTaskOutput(Path logs) throws IOException {
    Path nodes = stateDir.resolve("scheduler").resolve("nodes");
    if (!Files.isDirectory(nodes)) {
      return;
    }
    try (var sandboxes = Files.find(nodes, 3, (p, a) -> a.isDirectory() && p.getParent().getFileName().toString()
        .equals("sandboxes"))) {
      for (Path sandbox : sandboxes.toList()) {
        String node = sandbox.getParent().getParent().getFileName().toString();
        for (String stream : List.of("stdout", "stderr")) {
          Path f = sandbox.resolve(stream);
          if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.copy(f, logs.resolve("task-" + node + "-" + sandbox.getFileName() + "-" + stream + ".log"));
          }
        }
      }
    }
  }

  /** {@code ./ferry down}; the temp directory stays, with the cluster's logs. */
  @Override
  public void close() {
    down();
    System.err.println("bench: the cluster's logs are in " + stateDir.resolve("logs"));
  }
}
