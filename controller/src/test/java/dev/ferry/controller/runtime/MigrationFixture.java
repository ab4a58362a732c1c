package dev.ferry.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.Agent;
import dev.ferry.agent.config.AgentConfig;
import dev.ferry.agent.zfs.ZfsCli;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsLayout;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.Placement;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.model.StatefulAppSpec;
import dev.ferry.api.process.FreePort;
import dev.ferry.api.store.EtcdConfig;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.testing.ZfsPoolExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A controller, devcluster and two node agents (node1 spinning on 127.0.1.1, node2 ssd on
 * 127.0.1.2, each with its own zfs-fuse pool), plus what a test of moving a Redis app needs:
 * its manifest, a writer that keeps writing through the move, and the checks a user would make.
 */
final class MigrationFixture implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final ControllerHarness controller;
  private final Map<String, Agent> agents = new LinkedHashMap<>();

  MigrationFixture(EtcdConfig etcd, String zookeeper, ZfsPoolExtension pools) throws Exception {
    this(etcd, zookeeper, pools, Reconcilers.Settings.DEFAULT_MAX_MIGRATIONS_PER_NODE);
  }

  /** With at most {@code maxMigrationsPerNode} migrations from, and to, one node at once. */
  MigrationFixture(EtcdConfig etcd, String zookeeper, ZfsPoolExtension pools, int maxMigrationsPerNode) throws Exception {
    controller = new ControllerHarness(etcd, zookeeper, ClusterKey.random(), maxMigrationsPerNode);
    Path keyFile = Files.createTempFile("ferry-key", "");
    try {
      agents.put("node1", agent(etcd, "node1", "127.0.1.1", "spinning", pools.create(768L << 20), keyFile));
      agents.put("node2", agent(etcd, "node2", "127.0.1.2", "ssd", pools.create(768L << 20), keyFile));
    } catch (Exception e) {
      close();
      throw e;
    } finally {
      Files.deleteIfExists(keyFile);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> controller.duties.running().isPresent()
        && controller.store.list(Kind.NODE, LabelSelector.EVERYTHING).join().items().size() == 2);
  }

  private Agent agent(EtcdConfig etcd, String name, String address, String disk, ZfsPoolExtension.Pool pool,
      Path keyFile) {
    AgentConfig config = new AgentConfig(name, name, address, FreePort.pick(), Map.of("disk", disk),
        new ZfsLayout(pool.name(), pool.mountRoot()), etcd, keyFile, Optional.empty(),
        pool.mountRoot().resolveSibling("agent-state"), Duration.ofSeconds(5), Duration.ofSeconds(2),
        Duration.ofSeconds(10));
    return Agent.start(controller.vertx, config, controller.store, ZfsDriver.detect(config.layout(), ZfsCli.standard()),
        controller.key, Clock.systemUTC()).await();
  }

  /** Stops a node's agent as if it died: its Node goes with its lease, transfers to or from it fail. */
  void killAgent(String node) {
    agents.remove(node).stop().await();
  }

  /** A Redis StatefulApp that acknowledges a write only once it is on disk, placed on spinning disks. */
  StatefulApp createRedis(String name) {
    return controller.create("""
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: %s}
        spec:
          app:
            cmd: >-
              redis-server --port "$PORT0" --bind "$HOST" --dir "$FERRY_DATASET_PATH" --appendonly yes
              --appendfsync always --save "" --protected-mode no
            cpus: 0.2
            mem: 128
            instances: 1
            healthChecks: [{protocol: TCP, portIndex: 0, gracePeriodSeconds: 30, intervalSeconds: 1, timeoutSeconds: 1}]
          dataset: {name: %s-data, size: 256Mi}
          placement:
            constraints: [[disk, LIKE, spinning]]
          migration: {strategy: PreCopy, maxFinalDelta: 2Mi, maxRounds: 6}
        """.formatted(name, name), Kind.STATEFUL_APP);
  }

  void awaitReadyOn(String app, String node) {
    await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
      StatefulApp a = controller.store.get(Kind.STATEFUL_APP, app).join().orElseThrow();
      assertThat(a.status().node()).isEqualTo(node);
      assertThat(a.status().conditions()).anySatisfy(c -> {
        assertThat(c.type()).isEqualTo("Ready");
        assertThat(c.status()).isEqualTo(Condition.TRUE);
      });
    });
  }

  /** What a user does to move the app: change the placement in the spec. */
  void movePlacementTo(String app, String disk) {
    await().ignoreException(CompletionException.class).until(() -> {
      StatefulApp a = controller.store.get(Kind.STATEFUL_APP, app).join().orElseThrow();
      StatefulAppSpec s = a.spec();
      Placement moved = new Placement(List.of(List.of("disk", "LIKE", disk)));
      controller.store.update(a.withSpec(new StatefulAppSpec(s.app(), s.dataset(), moved, s.migration()))).join();
      return true;
    });
  }

  Optional<Migration> migrationOf(String app) {
    return controller.store.list(Kind.MIGRATION, LabelSelector.EVERYTHING).join().items().stream()
        .filter(m -> m.spec().statefulApp().equals(app)).findFirst();
  }

  Migration awaitMigrationEnd(String app) {
    return await().atMost(Duration.ofMinutes(4)).until(() -> migrationOf(app).filter(m -> m.status().phase().isFinished()),
        Optional::isPresent).orElseThrow();
  }

  /** Where Marathon says the app's task is, as the TodoMVC app finds its database. */
  RedisClient connect(String app) throws IOException, InterruptedException {
    JsonNode task = task(app);
    return new RedisClient(task.path("host").asText(), task.path("ports").path(0).asInt());
  }

  /** The app's one task, as Marathon lists it. */
  JsonNode task(String app) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(controller.marathon.url() + "/v2/apps/" + app
        + "/tasks")).header("Authorization", controller.marathonCredentials.authorization()).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode task = Json.json().readTree(r.body()).path("tasks").path(0);
    if (task.isMissingNode()) {
      throw new IOException("no task of " + app);
    }
    return task;
  }

  /**
   * The processes that have {@code .ferry/lock} of the dataset's primary copy open: the task
   * launched through ferry-task-guard, which holds it for as long as it runs.
   */
  List<Long> lockHolders(String dataset) throws IOException {
    var d = controller.store.get(Kind.DATASET, dataset).join().orElseThrow();
    var node = controller.store.get(Kind.NODE, d.spec().primary()).join().orElseThrow();
    Path lock = Path.of(node.spec().datasetPath(dataset), ".ferry", "lock");
    List<Long> holders = new ArrayList<>();
    try (var procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path proc : procs) {
        try (var fds = Files.newDirectoryStream(proc.resolve("fd"))) {
          for (Path fd : fds) {
            if (lock.equals(Files.readSymbolicLink(fd))) {
              holders.add(Long.parseLong(proc.getFileName().toString()));
              break;
            }
          }
        } catch (IOException e) {
          // A process that ended meanwhile, or one this user may not look into.
        }
      }
    }
    return holders;
  }

  /** Every acknowledged key that Redis no longer has. */
  List<String> missingWrites(String app, Writer writer) throws IOException, InterruptedException {
    List<String> missing = new ArrayList<>();
    try (RedisClient redis = connect(app)) {
      for (Integer i : writer.acknowledged.keySet()) {
        if (!("v" + i).equals(redis.call("GET", "key:" + i))) {
          missing.add("key:" + i);
        }
      }
    }
    return missing;
  }

  /** Writes key:i = vi one at a time (a reply is an acknowledged write) and some padding; reconnects after a move. */
  final class Writer implements Runnable, AutoCloseable {
    final Map<Integer, Boolean> acknowledged = new ConcurrentHashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final String app;
    private final int padBytes;
    private final Thread thread;

    Writer(String app, int padBytes) {
      this.app = app;
      this.padBytes = padBytes;
      this.thread = new Thread(this, "redis-writer-" + app);
      thread.start();
    }

    @Override
    public void run() {
      int i = 0;
      String pad = "x".repeat(padBytes);
      while (!stop.get()) {
        try (RedisClient redis = connect(app)) {
          while (!stop.get()) {
            redis.call("SET", "key:" + i, "v" + i);
            acknowledged.put(i, true);
            redis.call("SET", "pad:" + (i % 5000), pad + i);
            i++;
          }
        } catch (IOException e) {
          // The database is moving (or not up yet): find it again. The write in flight is not
          // acknowledged, and the next key is a new one.
          i++;
          sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(30_000);
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  Writer writer(String app, int padBytes) {
    return new Writer(app, padBytes);
  }

  /** The agents first (they share the harness's Vert.x), then devcluster, which kills Redis. */
  @Override
  public void close() throws Exception {
    try {
      for (Agent a : agents.values()) {
        a.stop().await();
      }
    } finally {
      controller.close();
    }
  }
}
