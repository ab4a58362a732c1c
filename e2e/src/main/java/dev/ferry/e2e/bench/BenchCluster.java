package dev.ferry.e2e.bench;

import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.api.process.Directories;
import dev.ferry.api.process.EtcdCommand;
import dev.ferry.api.process.FreePort;
import dev.ferry.api.process.ManagedProcess;
import dev.ferry.api.store.EtcdConfig;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.devcluster.launcher.Build;
import dev.ferry.devcluster.launcher.Pools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;

/**
 * The processes a controller benchmark needs, each real and on free ports: etcd, ZooKeeper
 * (Curator's in-process server), devcluster with simulated tasks (no process per task, so that a
 * thousand apps fit on one machine), and a controller process started when the benchmark says.
 * Closing it stops them all and removes the temp dir.
 */
final class BenchCluster implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  final Path dir;
  final Build build;
  final int etcdPort = FreePort.pick();
  final int marathonPort = FreePort.pick();
  final int apiPort = FreePort.pick();
  final String token = randomHex(16);
  /** devcluster's basic credentials, which the controller and the bench's event stream send. */
  final MarathonCredentials marathonCredentials = new MarathonCredentials("bench", randomHex(16));
  private final List<AutoCloseable> started = new ArrayList<>();
  private final List<BenchAgent> agents = new ArrayList<>();
  private EtcdStore store;
  private ManagedProcess controller;
  private ManagedProcess etcd;
  private ManagedProcess marathon;

  /**
   * A node agent of the benchmark, on its own file-backed pool.
   *
   * @param metricsUrl its {@code /metrics} (plain HTTP, beside its transfers)
   */
  record BenchAgent(String node, String pool, ManagedProcess process, String metricsUrl) {}

  BenchCluster(Path home) throws Exception {
    this.build = new Build(home);
    this.dir = Files.createTempDirectory("ferry-bench-");
    try {
      start();
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  private void start() throws Exception {
    etcd = ManagedProcess.start("etcd", EtcdCommand.of("bench", dir.resolve("etcd"), etcdPort, FreePort.pick()),
        Map.of(), dir.resolve("etcd.log"));
    started.add(etcd);
    etcd.awaitReady("etcd healthy", Duration.ofSeconds(30), () -> answers(EtcdCommand.url(etcdPort) + "/health"));
    TestingServer zookeeper = new TestingServer(FreePort.pick(), dir.resolve("zookeeper").toFile(), true);
    started.add(zookeeper);
    Path credentials = dir.resolve("marathon-credentials");
    Files.writeString(credentials, marathonCredentials.user() + ":" + marathonCredentials.password() + "\n");
    marathon = ManagedProcess.start("devcluster", java(Build.SCHEDULER, List.of(
        "--port", Integer.toString(marathonPort), "--state-dir", dir.resolve("devcluster").toString(), "--simulate-tasks",
        "--http_credentials_file", credentials.toString(),
        "--node", "node1=127.0.1.1:disk=spinning,cpus=10000,mem=10000000",
        "--node", "node2=127.0.1.2:disk=ssd,cpus=10000,mem=10000000")), Map.of(), dir.resolve("devcluster.log"));
    started.add(marathon);
    marathon.awaitReady("devcluster answering", Duration.ofSeconds(60), () -> answers(marathonUrl() + "/v2/info",
        marathonCredentials.authorization()));
    store = EtcdStore.connect(EtcdConfig.of(EtcdCommand.url(etcdPort)));
    started.add(store);
    Files.writeString(dir.resolve("tokens"), token + ",bench,admin\n");
    Files.writeString(dir.resolve("cluster.key"), randomHex(32) + "\n");
    Files.writeString(dir.resolve("controller.yaml"), String.join("\n",
        "listen: {host: 127.0.0.1, port: " + apiPort + "}",
        "etcd: {endpoints: [" + EtcdCommand.url(etcdPort) + "]}",
        "tokensFile: " + dir.resolve("tokens"),
        "clusterKeyFile: " + dir.resolve("cluster.key"),
        "marathon: {url: " + marathonUrl() + ", credentialsFile: " + credentials + "}",
        "zookeeper: {connect: " + zookeeper.getConnectString() + ", path: /ferry-bench}",
        "gitops: {cacheDir: " + dir.resolve("gitops") + "}", ""));
  }

  /**
   * Starts a node agent per devcluster node (node1 on 127.0.1.1, node2 on 127.0.1.2), each on a
   * new sparse pool {@code ferrybench-<random>} of {@code poolBytes}, destroyed on {@link #close}
   * after the agent stopped; returns once both registered their Node.
   */
  List<BenchAgent> startAgents(long poolBytes) throws Exception {
    String[][] nodes = {{"node1", "127.0.1.1", "disk:spinning"}, {"node2", "127.0.1.2", "disk:ssd"}};
    for (String[] n : nodes) {
      String pool = "ferrybench-" + randomHex(4);
      Path poolDir = Files.createDirectories(dir.resolve(pool));
      Pools.create(pool, poolDir.resolve("vdev"), poolBytes);
      // Closed after the agent (the list closes in reverse): the pool outlives its agent.
      started.add(() -> Pools.destroy(pool).ifPresent(why -> System.err.println("bench: pool " + pool + ": " + why)));
      int port = FreePort.pick();
      Map<String, String> env = Map.ofEntries(Map.entry("FERRY_NODE_NAME", n[0]), Map.entry("FERRY_ADDRESS", n[1]),
          Map.entry("FERRY_TRANSFER_PORT", Integer.toString(port)), Map.entry("FERRY_POOL", pool),
          Map.entry("FERRY_DATASET_ROOT", Files.createDirectories(poolDir.resolve("mnt")).toString()),
          Map.entry("FERRY_ATTRIBUTES", n[2]), Map.entry("FERRY_ETCD_ENDPOINTS", EtcdCommand.url(etcdPort)),
          Map.entry("FERRY_CLUSTER_KEY_FILE", dir.resolve("cluster.key").toString()),
          Map.entry("FERRY_STATE_DIR", Files.createDirectories(poolDir.resolve("agent-state")).toString()));
      ManagedProcess agent = ManagedProcess.start("agent-" + n[0], java(Build.AGENT, List.of()), env,
          dir.resolve("agent-" + n[0] + ".log"));
      started.add(agent);
      String metrics = "http://" + n[1] + ":" + port + "/metrics";
      agent.awaitReady("agent of " + n[0], Duration.ofSeconds(60), () -> answers("http://" + n[1] + ":" + port + "/readyz"));
      agents.add(new BenchAgent(n[0], pool, agent, metrics));
    }
    return List.copyOf(agents);
  }

  ManagedProcess etcdProcess() {
    return etcd;
  }

  ManagedProcess marathonProcess() {
    return marathon;
  }

  /** A counter or gauge from a Prometheus text page, 0 when absent. */
  static double scrape(String url, String metric) throws IOException, InterruptedException {
    String body = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return body.lines().filter(l -> l.startsWith(metric + " ") || l.startsWith(metric + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  EtcdStore store() {
    return store;
  }

  String marathonUrl() {
    return "http://127.0.0.1:" + marathonPort;
  }

  String apiUrl() {
    return "http://127.0.0.1:" + apiPort;
  }

  /** Starts the controller process and returns once its API answers. */
  ManagedProcess startController() {
    controller = ManagedProcess.start("controller", java(Build.CONTROLLER, List.of("--config",
        dir.resolve("controller.yaml").toString())), Map.of(), dir.resolve("controller.log"));
    started.add(controller);
    controller.awaitReady("the controller's API", Duration.ofSeconds(60), () -> answers(apiUrl() + "/healthz"));
    return controller;
  }

  /** {@code PUT} of a manifest through the API, as {@code ferryctl apply} does. */
  int apply(String plural, String name, String manifest) throws IOException, InterruptedException {
    HttpRequest put = HttpRequest.newBuilder(URI.create(apiUrl() + "/apis/ferry/v1/" + plural + "/" + name))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/yaml")
        .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build();
    HttpResponse<String> response = HTTP.send(put, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IOException("apply of " + name + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.statusCode();
  }

  private List<String> java(Build.Main main, List<String> args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseSerialGC", "-cp", build.classpath(main), main.className()));
    command.addAll(args);
    return command;
  }

  private static boolean answers(String url) {
    return answers(url, "");
  }

  /** 200 from {@code url}, sending {@code authorization} unless empty. */
  private static boolean answers(String url, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2));
    if (!authorization.isEmpty()) {
      request.header("Authorization", authorization);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  @Override
  public void close() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        AutoCloseable c = started.get(i);
        if (c instanceof ManagedProcess p) {
          p.stop(Duration.ofSeconds(10));
        } else {
          c.close();
        }
      } catch (Exception e) {
        System.err.println("bench: could not stop " + started.get(i) + ": " + e);
      }
    }
    Directories.delete(dir);
  }
}
