package dev.ferry.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.controller.marathon.MarathonEventStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The heart of Ferry, end to end: a Redis StatefulApp ({@code appendfsync always}) under a steady
 * stream of writes moves from the spinning node to the SSD node. Real etcd, ZooKeeper, zfs-fuse
 * pools, two node agents on 127.0.1.1 and 127.0.1.2, devcluster running real Redis processes.
 * Checks what a user would: every acknowledged write is there after the move, Marathon never ran
 * two Redis tasks at once, and the migration recorded its downtime.
 */
class LiveMigrationTest extends MigrationClusterTest {

  @Test
  void redisMovesToTheSsdNodeWithEveryAcknowledgedWrite() throws Exception {
    cluster.createRedis("cache");
    cluster.awaitReadyOn("cache", "node1");

    Map<String, Boolean> running = new ConcurrentHashMap<>();
    AtomicInteger mostAtOnce = new AtomicInteger();
    MarathonEventStream tasks = cluster.controller.marathonClient.events(e -> {
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

    MigrationFixture.Writer writer = cluster.writer("cache", 1000);
    try {
      // Some bulk first, so the pre-copy has something to copy while the writes go on.
      await().atMost(Duration.ofMinutes(2)).until(() -> writer.acknowledged.size() >= 3000);
      cluster.movePlacementTo("cache", "ssd");

      Migration done = cluster.awaitMigrationEnd("cache");
      assertThat(done.status().phase()).as("migration: %s", done.status().message()).isEqualTo(MigrationPhase.Succeeded);
      cluster.awaitReadyOn("cache", "node2");
      int before = writer.acknowledged.size();
      await().atMost(Duration.ofMinutes(1)).until(() -> writer.acknowledged.size() >= before + 200);
    } finally {
      writer.close();
      tasks.close();
    }

    Migration migration = cluster.awaitMigrationEnd("cache");
    assertThat(migration.status().downtime()).isNotNull().isPositive();
    assertThat(migration.status().rounds()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(migration.status().rounds()).last().satisfies(r -> assertThat(r.baseGuid()).isNotEmpty());
    assertThat(mostAtOnce.get()).as("Redis tasks running at once").isEqualTo(1);

    Dataset dataset = cluster.controller.store.get(Kind.DATASET, "cache-data").join().orElseThrow();
    assertThat(dataset.spec().primary()).isEqualTo("node2");
    assertThat(dataset.spec().migration()).isEmpty();
    assertThat(cluster.missingWrites("cache", writer))
        .as("acknowledged writes missing after the move (of %d)", writer.acknowledged.size()).isEmpty();
    assertThat(cluster.lockHolders("cache-data")).as("Redis on node2 runs through ferry-task-guard, holding the"
        + " dataset's lock").isNotEmpty();
  }
}
