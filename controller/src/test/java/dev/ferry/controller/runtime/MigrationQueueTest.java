package dev.ferry.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Conditions;
import dev.ferry.api.model.Event;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.testing.EtcdExtension;
import dev.ferry.testing.ZfsPoolExtension;
import dev.ferry.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A user who moves several apps off one node at once: with one migration per node allowed, the
 * second waits in Pending, saying behind which migration and why, locks nothing and stops
 * nothing, and starts only once the first has ended; both apps end up on the new node.
 */
class MigrationQueueTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  @RegisterExtension
  static ZooKeeperExtension zookeeper = new ZooKeeperExtension();

  @RegisterExtension
  static ZfsPoolExtension pools = ZfsPoolExtension.perClass();

  static MigrationFixture cluster;

  @BeforeAll
  static void startClusterWithOneMigrationPerNode() throws Exception {
    cluster = new MigrationFixture(etcd.config(), zookeeper.connectString(), pools, 1);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  @Test
  void aSecondMoveOffTheSameNodeWaitsInPendingForTheFirstThenRuns() {
    cluster.createRedis("queue-a");
    cluster.createRedis("queue-b");
    cluster.awaitReadyOn("queue-a", "node1");
    cluster.awaitReadyOn("queue-b", "node1");

    cluster.movePlacementTo("queue-a", "ssd");
    cluster.movePlacementTo("queue-b", "ssd");

    Migration queued = await().atMost(Duration.ofMinutes(2)).until(MigrationQueueTest::queuedOne, Optional::isPresent)
        .orElseThrow();
    Migration ahead = migrations().stream().filter(m -> !m.name().equals(queued.name())).findFirst().orElseThrow();
    assertThat(queued.status().phase()).isEqualTo(MigrationPhase.Pending);
    assertThat(queued.status().message()).startsWith("queued behind " + ahead.name() + ": 1 migrations from node node1")
        .contains("maxMigrationsPerNode 1");
    String dataset = queued.spec().dataset();
    assertThat(cluster.controller.store.get(Kind.DATASET, dataset).join().orElseThrow().spec().migration())
        .as("a queued migration locks nothing").isEmpty();

    cluster.awaitReadyOn("queue-a", "node2");
    cluster.awaitReadyOn("queue-b", "node2");
    Migration first = cluster.awaitMigrationEnd(ahead.spec().statefulApp());
    Migration second = cluster.awaitMigrationEnd(queued.spec().statefulApp());
    assertThat(first.status().phase()).isEqualTo(MigrationPhase.Succeeded);
    assertThat(second.status().phase()).isEqualTo(MigrationPhase.Succeeded);
    assertThat(second.status().entered(MigrationPhase.Planned).orElseThrow())
        .as("the second started only once the first had ended")
        .isAfterOrEqualTo(first.status().completionTime());
    Condition condition = Conditions.find(second.status().conditions(), "Queued");
    assertThat(condition.status()).isEqualTo(Condition.FALSE);
    assertThat(condition.reason()).isEqualTo("Started");
    List<Event> events = cluster.controller.store.list(Kind.EVENT,
        LabelSelector.parse("ferry.dev/name=" + queued.name())).join().items();
    assertThat(events).anySatisfy(e -> {
      assertThat(e.spec().reason()).isEqualTo("Queued");
      assertThat(e.spec().message()).contains("queued behind " + ahead.name());
    });
  }

  private static List<Migration> migrations() {
    return cluster.controller.store.list(Kind.MIGRATION, LabelSelector.EVERYTHING).join().items();
  }

  /** A migration that says it is queued, if one does now. */
  private static Optional<Migration> queuedOne() {
    return migrations().stream().filter(m -> {
      Condition c = Conditions.find(m.status().conditions(), "Queued");
      return c != null && c.isTrue();
    }).findFirst();
  }
}
