package dev.ferry.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.store.Subscription;
import dev.ferry.api.store.WatchEvent;
import dev.ferry.controller.statefulapp.AppConditions;
import dev.ferry.api.model.Conditions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Before the Switch a move can end without moving: the target node dies during the pre-copy, or
 * a user deletes the Migration. Either way the data stays on the source, writable, the app keeps
 * serving there without losing a write, and a failed move is not retried at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollbackTest extends MigrationClusterTest {

  @Test
  @Order(1)
  void deletingAMigrationInTheMiddleLeavesTheDataWhereItWasWritable() throws Exception {
    cluster.createRedis("abandoned");
    cluster.awaitReadyOn("abandoned", "node1");
    MigrationFixture.Writer writer = cluster.writer("abandoned", 4000);
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> writer.acknowledged.size() >= 3000);
      CompletableFuture<Migration> copying = new CompletableFuture<>();
      try (Subscription watch = cluster.controller.store.listAndWatch(Kind.MIGRATION, LabelSelector.EVERYTHING,
          (WatchEvent<Migration> e) -> {
            if (e.object().spec().statefulApp().equals("abandoned") && e.object().status().phase() == MigrationPhase.PreCopy) {
              copying.complete(e.object());
            }
          })) {
        cluster.movePlacementTo("abandoned", "ssd");
        Migration m = copying.get(3, TimeUnit.MINUTES);
        // Back to where the data is, then the migration goes: nothing should try to move it again.
        cluster.movePlacementTo("abandoned", "spinning");
        cluster.controller.store.delete(Kind.MIGRATION, m.name(), 0).join();
      }
      await().atMost(Duration.ofMinutes(1)).until(() -> cluster.controller.store.get(Kind.DATASET, "abandoned-data").join()
          .map(d -> d.spec().migration().isEmpty()).orElse(false));
      cluster.awaitReadyOn("abandoned", "node1");
      int before = writer.acknowledged.size();
      await().atMost(Duration.ofMinutes(1)).until(() -> writer.acknowledged.size() >= before + 200);
    } finally {
      writer.close();
    }
    assertThat(cluster.controller.store.get(Kind.DATASET, "abandoned-data").join().orElseThrow().spec().primary())
        .isEqualTo("node1");
    assertThat(cluster.missingWrites("abandoned", writer)).isEmpty();
  }

  @Test
  @Order(2)
  void theTargetDyingDuringPreCopyLeavesTheAppServingOnTheSource() throws Exception {
    cluster.createRedis("kv");
    cluster.awaitReadyOn("kv", "node1");

    MigrationFixture.Writer writer = cluster.writer("kv", 4000);
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> writer.acknowledged.size() >= 3000);
      String task = cluster.task("kv").path("id").asText();
      CompletableFuture<Migration> copying = new CompletableFuture<>();
      try (Subscription watch = cluster.controller.store.listAndWatch(Kind.MIGRATION, LabelSelector.EVERYTHING,
          (WatchEvent<Migration> e) -> {
            if (e.object().status().phase() == MigrationPhase.PreCopy) {
              copying.complete(e.object());
            }
          })) {
        cluster.movePlacementTo("kv", "ssd");
        copying.get(3, TimeUnit.MINUTES);
        cluster.killAgent("node2");
      }

      Migration ended = cluster.awaitMigrationEnd("kv");
      assertThat(ended.status().phase()).isEqualTo(MigrationPhase.RolledBack);
      assertThat(ended.status().message()).contains("node2 (the target) went away");
      cluster.awaitReadyOn("kv", "node1");
      // The app's status follows the Migration's end in its own reconcile, so it may lag a moment.
      Condition scheduled = await().atMost(Duration.ofSeconds(30)).until(() -> Conditions.find(cluster.controller.store
          .get(Kind.STATEFUL_APP, "kv").join().orElseThrow().status().conditions(), AppConditions.SCHEDULED),
          c -> c != null && !c.reason().equals("Placed"));
      assertThat(scheduled.reason()).as("the move waits before it is tried again").isEqualTo("MoveBackoff");
      assertThat(cluster.migrationOf("kv")).as("no second move while the first one's backoff runs")
          .hasValueSatisfying(m -> assertThat(m.name()).isEqualTo(ended.name()));
      int before = writer.acknowledged.size();
      await().atMost(Duration.ofMinutes(1)).until(() -> writer.acknowledged.size() >= before + 200);
      assertThat(cluster.task("kv").path("id").asText()).as("Redis kept running through the failed move")
          .isEqualTo(task);
    } finally {
      writer.close();
    }

    Dataset dataset = cluster.controller.store.get(Kind.DATASET, "kv-data").join().orElseThrow();
    assertThat(dataset.spec().primary()).isEqualTo("node1");
    assertThat(dataset.spec().migration()).isEmpty();
    assertThat(cluster.missingWrites("kv", writer)).as("acknowledged writes missing (of %d)", writer.acknowledged.size())
        .isEmpty();
  }
}
