package dev.ferry.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.store.Subscription;
import dev.ferry.api.store.WatchEvent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The leading controller dies in the middle of a migration; the standby takes over leadership
 * (ZooKeeper), takes a new fencing epoch (etcd), picks the migration up from its persisted status
 * and finishes it, with the data intact.
 */
class LeaderFailoverTest extends MigrationClusterTest {

  @ParameterizedTest(name = "the leader dies during {0}")
  @EnumSource(value = MigrationPhase.class, names = {"PreCopy", "FinalSync"})
  void theStandbyFinishesTheMigration(MigrationPhase phase) throws Exception {
    String app = "db-" + phase.name().toLowerCase();
    ControllerHarness.Replica standby = cluster.controller.replica("standby-" + app);
    cluster.createRedis(app);
    cluster.awaitReadyOn(app, "node1");

    MigrationFixture.Writer writer = cluster.writer(app, 4000);
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> writer.acknowledged.size() >= 3000);
      CompletableFuture<Migration> reached = new CompletableFuture<>();
      try (Subscription watch = cluster.controller.store.listAndWatch(Kind.MIGRATION, LabelSelector.EVERYTHING,
          (WatchEvent<Migration> e) -> {
        if (e.object().spec().statefulApp().equals(app) && e.object().status().phase() == phase) {
          reached.complete(e.object());
        }
      })) {
        cluster.movePlacementTo(app, "ssd");
        reached.get(3, TimeUnit.MINUTES);
        // Whoever leads now dies, in the middle of the phase.
        cluster.controller.crashLeader();
      }

      Migration done = cluster.awaitMigrationEnd(app);
      assertThat(done.status().phase()).as("migration: %s", done.status().message()).isEqualTo(MigrationPhase.Succeeded);
      cluster.awaitReadyOn(app, "node2");
      int before = writer.acknowledged.size();
      await().atMost(Duration.ofMinutes(1)).until(() -> writer.acknowledged.size() >= before + 100);
    } finally {
      writer.close();
    }
    assertThat(cluster.missingWrites(app, writer)).as("acknowledged writes missing (of %d)", writer.acknowledged.size())
        .isEmpty();
    assertThat(standby.duties.running()).as("the standby leads now").isPresent();
  }
}
