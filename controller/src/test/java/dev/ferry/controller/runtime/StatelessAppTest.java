package dev.ferry.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Event;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.MigrationStatus;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.controller.statefulapp.AppConditions;
import dev.ferry.controller.statefulapp.MarathonView;
import dev.ferry.testing.EtcdExtension;
import dev.ferry.testing.ZooKeeperExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The StatefulApp reconciler end to end for apps without a dataset (plain managed Marathon apps):
 * real etcd, real ZooKeeper, devcluster running real processes.
 */
class StatelessAppTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  @RegisterExtension
  static ZooKeeperExtension zookeeper = new ZooKeeperExtension();

  private static ControllerHarness controller;

  @BeforeAll
  static void start() throws Exception {
    controller = new ControllerHarness(etcd.config(), zookeeper.connectString());
    await().atMost(Duration.ofSeconds(30)).until(() -> controller.duties.running().isPresent());
  }

  @AfterAll
  static void stop() throws Exception {
    if (controller != null) {
      controller.close();
    }
  }

  private static StatefulApp stored(String name) {
    return controller.store.get(Kind.STATEFUL_APP, name).join().orElseThrow();
  }

  private static Condition condition(String name, String type) {
    return stored(name).status().conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }

  private static Optional<MarathonView> marathonApp(String id) {
    return controller.marathonClient.app(id).await();
  }

  @Test
  void anAppWithoutDataRunsInMarathonAndBecomesReady() {
    controller.create("""
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: web}
        spec:
          app:
            cmd: python3 -m http.server "$PORT0" --bind "$HOST"
            cpus: 0.1
            mem: 64
            instances: 1
            healthChecks: [{protocol: HTTP, path: /, portIndex: 0, gracePeriodSeconds: 30, intervalSeconds: 1}]
          placement:
            constraints: [[disk, LIKE, ssd]]
        """, Kind.STATEFUL_APP);

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Condition ready = condition("web", AppConditions.READY);
      assertThat(ready).isNotNull();
      assertThat(ready.isTrue()).as("Ready: %s", ready).isTrue();
    });
    StatefulApp web = stored("web");
    assertThat(web.status().phase()).isEqualTo("Running");
    assertThat(web.status().observedGeneration()).isEqualTo(web.metadata().generation());
    assertThat(web.metadata().finalizers()).contains("ferry.dev/cleanup");
    assertThat(marathonApp("/web")).hasValueSatisfying(v -> {
      assertThat(v.tasks()).singleElement().satisfies(t -> assertThat(t.host()).isEqualTo("127.0.1.2"));
      assertThat(v.app().path("labels").path("FERRY_STATEFULAPP").asText()).isEqualTo("web");
    });
  }

  @Test
  void anAppChangedBehindFerrysBackIsPutBack() {
    controller.create("""
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: drifter}
        spec:
          app: {cmd: sleep 600, cpus: 0.1, mem: 16, instances: 1}
        """, Kind.STATEFUL_APP);
    await().atMost(Duration.ofSeconds(60)).until(() -> marathonApp("/drifter").map(v -> v.runningTasks() == 1).orElse(false));

    ObjectNode edited = marathonApp("/drifter").orElseThrow().app().deepCopy();
    edited.put("mem", 32);
    edited.remove(List.of("version", "versionInfo"));
    controller.marathonClient.putApp("/drifter", edited, true).await();

    await().atMost(Duration.ofSeconds(60)).until(() -> marathonApp("/drifter")
        .map(v -> v.app().path("mem").asInt() == 16).orElse(false));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<Event> events = controller.store.list(Kind.EVENT, LabelSelector.parse("ferry.dev/name=drifter")).join().items();
      assertThat(events).anySatisfy(e -> {
        assertThat(e.spec().reason()).isEqualTo("DriftCorrected");
        assertThat(e.spec().message()).contains("(mem)");
      });
    });
  }

  @Test
  void noNodeFitsIsReportedAndNothingIsWrittenToMarathon() {
    controller.create("""
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: nowhere}
        spec:
          app: {cmd: sleep 600, cpus: 0.1, mem: 16}
          dataset: {name: nowhere-data, size: 64Mi}
          placement:
            constraints: [[disk, LIKE, nvme]]
        """, Kind.STATEFUL_APP);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Condition scheduled = condition("nowhere", AppConditions.SCHEDULED);
      assertThat(scheduled).isNotNull();
      assertThat(scheduled.reason()).isEqualTo("Unschedulable");
      assertThat(scheduled.message()).isEqualTo("no node is registered: is a node agent running?");
    });
    assertThat(stored("nowhere").status().phase()).isEqualTo("Unschedulable");
    assertThat(marathonApp("/nowhere")).isEmpty();
    assertThat(controller.store.get(Kind.DATASET, "nowhere-data").join()).isEmpty();
  }

  @Test
  void deletingAnAppRemovesItsMarathonAppBeforeTheObjectGoes() {
    controller.create("""
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: short-lived}
        spec:
          app: {cmd: sleep 600, cpus: 0.1, mem: 16}
        """, Kind.STATEFUL_APP);
    await().atMost(Duration.ofSeconds(60)).until(() -> marathonApp("/short-lived").map(v -> v.runningTasks() == 1)
        .orElse(false));
    await().until(() -> stored("short-lived").metadata().finalizers().contains("ferry.dev/cleanup"));

    // What the API server's DELETE does to an object with finalizers, retried as it retries.
    await().ignoreException(CompletionException.class).until(() -> {
      StatefulApp app = stored("short-lived");
      controller.store.update(app.withMetadata(app.metadata().withDeletionTimestamp(Instant.now()))).join();
      return true;
    });

    await().atMost(Duration.ofSeconds(60)).until(() -> controller.store.get(Kind.STATEFUL_APP, "short-lived").join().isEmpty());
    assertThat(marathonApp("/short-lived")).isEmpty();
  }

  @Test
  void finishedMigrationsBeyondTheHistoryLimitAreDeletedAndTheNewestTenStay() {
    controller.create("""
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: historian}
        spec:
          app: {cmd: sleep 600, cpus: 0.1, mem: 16, instances: 1}
        """, Kind.STATEFUL_APP);
    Instant t0 = Instant.parse("2026-12-03T10:00:00Z");
    // Twelve moves that ended long ago, created newest first so that names and ages disagree.
    for (int minute = 12; minute >= 1; minute--) {
      // Created finished, in one write: a Pending one would be the migration reconciler's to end.
      controller.store.create(new Migration(ObjectMeta.named("historian-" + minute),
          new MigrationSpec("historian", "none", "node1", "node2", null, null, 0))
          .withStatus(MigrationStatus.EMPTY.finished(MigrationPhase.Succeeded, t0.plusSeconds(60L * minute), null, "")))
          .join();
    }

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(controller.store
        .list(Kind.MIGRATION, LabelSelector.EVERYTHING).join().items().stream()
        .map(Migration::name).filter(n -> n.startsWith("historian-")))
        .containsExactlyInAnyOrder("historian-3", "historian-4", "historian-5", "historian-6", "historian-7",
            "historian-8", "historian-9", "historian-10", "historian-11", "historian-12"));
  }
}
