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
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.Placement;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.model.StatefulAppSpec;
import dev.ferry.api.process.FreePort;
import dev.ferry.controller.marathon.MarathonEventStream;
import dev.ferry.testing.EtcdExtension;
import dev.ferry.testing.ZfsPoolExtension;
import dev.ferry.testing.ZooKeeperExtension;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The heart of Ferry, end to end: a Redis StatefulApp ({@code appendfsync always}) under a steady
 * stream of writes moves from the spinning node to the SSD node. Real etcd, ZooKeeper, zfs-fuse
 * pools, two node agents on 127.0.1.1 and 127.0.1.2, devcluster running real Redis processes.
 * Checks what a user would: every acknowledged write is there after the move, Marathon never ran
 * two Redis tasks at once, and the migration recorded its downtime.
 */
class LiveMigrationTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  @RegisterExtension
  static ZooKeeperExtension zookeeper = new ZooKeeperExtension();

  @RegisterExtension
  static ZfsPoolExtension pools = ZfsPoolExtension.perClass();

  private static ControllerHarness controller;
  private static final List<Agent> AGENTS = new ArrayList<>();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    controller = new ControllerHarness(etcd.config(), zookeeper.connectString());
    Path keyFile = Files.createTempFile("ferry-key", "");
    try {
      AGENTS.add(agent("node1", "127.0.1.1", "spinning", pools.create(768L << 20), keyFile));
      AGENTS.add(agent("node2", "127.0.1.2", "ssd", pools.create(768L << 20), keyFile));
    } finally {
      Files.deleteIfExists(keyFile);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> controller.duties.running().isPresent()
        && controller.store.list(Kind.NODE, LabelSelector.EVERYTHING).join().items().size() == 2);
  }

  private static Agent agent(String name, String address, String disk, ZfsPoolExtension.Pool pool, Path keyFile) {
    AgentConfig config = new AgentConfig(name, name, address, FreePort.pick(), Map.of("disk", disk),
        new ZfsLayout(pool.name(), pool.mountRoot()), etcd.config(), keyFile, Duration.ofSeconds(5),
        Duration.ofSeconds(2), Duration.ofSeconds(10));
    return Agent.start(controller.vertx, config, controller.store, ZfsDriver.detect(config.layout(), ZfsCli.standard()),
        controller.key, Clock.systemUTC()).await();
  }

  /** The agents first (they share the harness's Vert.x), then devcluster, which kills Redis. */
  @AfterAll
  static void stop() throws Exception {
    try {
      for (Agent a : AGENTS) {
        a.stop().await();
      }
    } finally {
      if (controller != null) {
        controller.close();
      }
    }
  }

  @Test
  void redisMovesToTheSsdNodeWithEveryAcknowledgedWrite() throws Exception {
    controller.create("""
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: cache}
        spec:
          app:
            cmd: >-
              redis-server --port "$PORT0" --bind "$HOST" --dir "$FERRY_DATASET_PATH" --appendonly yes
              --appendfsync always --save "" --protected-mode no
            cpus: 0.2
            mem: 128
            instances: 1
            healthChecks: [{protocol: TCP, portIndex: 0, gracePeriodSeconds: 30, intervalSeconds: 1, timeoutSeconds: 1}]
          dataset: {name: cache-data, size: 256Mi}
          placement:
            constraints: [[disk, LIKE, spinning]]
          migration: {strategy: PreCopy, maxFinalDelta: 2Mi, maxRounds: 6}
        """, Kind.STATEFUL_APP);
    awaitReadyOn("node1");

    Map<String, Boolean> running = new ConcurrentHashMap<>();
    AtomicInteger mostAtOnce = new AtomicInteger();
    MarathonEventStream tasks = new MarathonEventStream(controller.vertx, URI.create(controller.marathon.url()), e -> {
      if (e.type().equals("status_update_event") && e.appId().equals(Optional.of("/cache"))) {
        String state = e.data().path("taskStatus").asText();
        if (state.equals("TASK_RUNNING")) {
          running.put(e.data().path("taskId").asText(), true);
        } else if (Set.of("TASK_KILLED", "TASK_FINISHED", "TASK_FAILED", "TASK_LOST", "TASK_ERROR").contains(state)) {
          running.remove(e.data().path("taskId").asText());
        }
        mostAtOnce.accumulateAndGet(running.size(), Math::max);
      }
    }, () -> { }).start();

    Writer writer = new Writer();
    Thread thread = new Thread(writer, "redis-writer");
    thread.start();
    try {
      // Some bulk first, so the pre-copy has something to copy while the writes go on.
      await().atMost(Duration.ofMinutes(2)).until(() -> writer.acknowledged.size() >= 3000);
      movePlacementTo("ssd");

      Migration done = awaitMigrationEnd();
      assertThat(done.status().phase()).as("migration: %s", done.status().message()).isEqualTo(MigrationPhase.Succeeded);
      awaitReadyOn("node2");
      int before = writer.acknowledged.size();
      await().atMost(Duration.ofMinutes(1)).until(() -> writer.acknowledged.size() >= before + 200);
    } finally {
      writer.stop.set(true);
      thread.join(30_000);
      tasks.close();
    }

    Migration migration = awaitMigrationEnd();
    assertThat(migration.status().downtime()).isNotNull().isPositive();
    assertThat(migration.status().rounds()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(migration.status().rounds()).last().satisfies(r -> assertThat(r.baseGuid()).isNotEmpty());
    assertThat(mostAtOnce.get()).as("Redis tasks running at once").isEqualTo(1);

    Dataset dataset = controller.store.get(Kind.DATASET, "cache-data").join().orElseThrow();
    assertThat(dataset.spec().primary()).isEqualTo("node2");
    assertThat(dataset.spec().migration()).isEmpty();

    List<String> missing = new ArrayList<>();
    try (RedisClient redis = connect()) {
      assertThat(redis.call("PING")).isEqualTo("PONG");
      for (Integer i : writer.acknowledged.keySet()) {
        if (!("v" + i).equals(redis.call("GET", "key:" + i))) {
          missing.add("key:" + i);
        }
      }
    }
    assertThat(missing).as("acknowledged writes missing after the move (of %d)", writer.acknowledged.size()).isEmpty();
  }

  private static void awaitReadyOn(String node) {
    await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
      StatefulApp app = controller.store.get(Kind.STATEFUL_APP, "cache").join().orElseThrow();
      assertThat(app.status().node()).isEqualTo(node);
      assertThat(app.status().conditions()).anySatisfy(c -> {
        assertThat(c.type()).isEqualTo("Ready");
        assertThat(c.status()).isEqualTo(Condition.TRUE);
      });
    });
  }

  private static void movePlacementTo(String disk) {
    await().ignoreException(CompletionException.class).until(() -> {
      StatefulApp app = controller.store.get(Kind.STATEFUL_APP, "cache").join().orElseThrow();
      StatefulAppSpec s = app.spec();
      Placement moved = new Placement(List.of(List.of("disk", "LIKE", disk)));
      controller.store.update(app.withSpec(new StatefulAppSpec(s.app(), s.dataset(), moved, s.migration()))).join();
      return true;
    });
  }

  private static Migration awaitMigrationEnd() {
    return await().atMost(Duration.ofMinutes(4)).until(() -> controller.store.list(Kind.MIGRATION, LabelSelector.EVERYTHING)
        .join().items().stream().filter(m -> m.spec().statefulApp().equals("cache") && m.status().phase().isFinished())
        .findFirst(), Optional::isPresent).orElseThrow();
  }

  /** Where Marathon says the Redis task is, as the TodoMVC app finds its database. */
  private static RedisClient connect() throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(controller.marathon.url() + "/v2/apps/cache/tasks"))
        .build(), HttpResponse.BodyHandlers.ofString());
    JsonNode task = Json.json().readTree(r.body()).path("tasks").path(0);
    if (task.isMissingNode()) {
      throw new IOException("no Redis task");
    }
    return new RedisClient(task.path("host").asText(), task.path("ports").path(0).asInt());
  }

  /** Writes key:i = vi one at a time; a reply is an acknowledged write. Reconnects after a move. */
  private static final class Writer implements Runnable {
    final Map<Integer, Boolean> acknowledged = new ConcurrentHashMap<>();
    final AtomicBoolean stop = new AtomicBoolean();

    @Override
    public void run() {
      int i = 0;
      String pad = "x".repeat(1000);
      while (!stop.get()) {
        try (RedisClient redis = connect()) {
          while (!stop.get()) {
            redis.call("SET", "key:" + i, "v" + i);
            acknowledged.put(i, true);
            redis.call("SET", "pad:" + (i % 5000), pad + i);
            i++;
          }
        } catch (IOException e) {
          // The database is moving (or not up yet): find it again.
          i++;
          pause();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private static void pause() {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
