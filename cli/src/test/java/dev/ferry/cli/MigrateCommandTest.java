package dev.ferry.cli;

import static dev.ferry.cli.FerryctlTest.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.codec.Json;
import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationStatus;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.model.StatefulAppStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ferryctl migrate} refuses, before it creates anything, a move the controller would
 * fail at once: a node that does not exist or that the app's placement rules out, an app
 * without a dataset or a node; and it reports a Migration that fails as soon as it is taken up.
 */
class MigrateCommandTest extends CliTestCase {

  @BeforeAll
  static void cluster() throws Exception {
    node("mig-node1", "{disk: ssd}");
    node("mig-node2", "{disk: spinning}");
    node("mig-node3", "{disk: ssd}");
    placedApp("mig-db", "mig-node1", "  dataset: {name: mig-db-data, size: 1Gi}\n");
    placedApp("mig-nodata", "mig-node1", "");
  }

  static void node(String name, String attributes) {
    Node node = (Node) Manifests.readStored("""
        apiVersion: ferry/v1
        kind: Node
        metadata: {name: %s}
        spec: {address: 127.0.0.1, pool: tank, attributes: %s}
        """.formatted(name, attributes)).get(0);
    ferry.api.store.create(node).join();
  }

  /** An app as the controller leaves it once placed: status.node set, and its Dataset's primary there. */
  static void placedApp(String name, String node, String dataset) throws Exception {
    CliFixture.Run applied = ferry.run("apply", "-f", write("migrate/" + name + ".yaml", """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: %s}
        spec:
          app: {cmd: redis-server, instances: 1}
        %s  placement:
            constraints: [[disk, LIKE, ssd]]
        """.formatted(name, dataset)).toString());
    assertThat(applied.exit()).as(applied.err()).isZero();
    StatefulApp app = ferry.api.store.get(Kind.STATEFUL_APP, name).join().orElseThrow();
    StatefulAppStatus placed = Json.json().treeToValue(Json.json().createObjectNode().put("node", node), StatefulAppStatus.class);
    ferry.api.store.updateStatus(app.withStatus(placed)).join();
    app.spec().datasetRef().ifPresent(ref -> ferry.api.store.create(new Dataset(
        ObjectMeta.named(ref.name()).withLabels(Map.of("ferry.dev/statefulapp", name)),
        new DatasetSpec(ref.size(), node, "", ref.reclaimPolicy()))).join());
  }

  static long migrations() {
    return ferry.api.store.list(Kind.MIGRATION, LabelSelector.EVERYTHING).join().items().size();
  }

  @Test
  void aNodeThePlacementRulesOutIsRefusedAndNothingCreated() {
    long before = migrations();

    CliFixture.Run run = ferry.run("migrate", "mig-db", "--to", "mig-node2");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("cannot migrate statefulapp/mig-db to mig-node2: node mig-node2",
        "{disk=spinning}", "does not satisfy spec.placement.constraints [[\"disk\",\"LIKE\",\"ssd\"]]");
    assertThat(migrations()).isEqualTo(before);
  }

  @Test
  void aNodeThatDoesNotExistIsRefusedAndNothingCreated() {
    long before = migrations();

    CliFixture.Run run = ferry.run("migrate", "mig-db", "--to", "node9");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("error: cannot migrate statefulapp/mig-db to node9: node \"node9\" does not exist")
        .contains("mig-node1, mig-node2, mig-node3");
    assertThat(migrations()).isEqualTo(before);
  }

  @Test
  void anAppWithoutADatasetIsRefused() {
    CliFixture.Run run = ferry.run("migrate", "mig-nodata", "--to", "mig-node3");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("cannot migrate statefulapp/mig-nodata to mig-node3: it has no dataset");
  }

  @Test
  void aMigrationThatFailsAtOnceIsReportedWithItsReason() throws Exception {
    // Stands in for the controller: fails the Migration as soon as it appears, as its planner does.
    CompletableFuture<Void> controller = CompletableFuture.runAsync(() -> {
      await().atMost(Duration.ofSeconds(10)).until(() -> migrationFor("mig-db") != null);
      Migration m = migrationFor("mig-db");
      MigrationStatus failed = MigrationStatus.EMPTY.withPhase(dev.ferry.api.model.MigrationPhase.Failed,
          "node mig-node3 has 0 bytes free, needs 1073741824", java.time.Instant.now());
      ferry.api.store.updateStatus(m.withStatus(failed)).join();
    });

    CliFixture.Run run = ferry.run("migrate", "mig-db", "--to", "mig-node3");
    controller.join();

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).matches("error: migration/mig-db-[a-z0-9]+ failed: node mig-node3 has 0 bytes free, needs 1073741824\n");
    ferry.api.store.delete(Kind.MIGRATION, migrationFor("mig-db").name(), 0).join();
  }

  /** Stands in for the controller: takes the Migration of {@code app} through {@code phases}, then ends it with {@code message}. */
  private static CompletableFuture<Void> controllerMoving(String app, String message, MigrationPhase... phases) {
    return CompletableFuture.runAsync(() -> {
      await().atMost(Duration.ofSeconds(60)).until(() -> migrationFor(app) != null);
      for (MigrationPhase phase : phases) {
        Migration m = migrationFor(app);
        MigrationStatus next = m.status().withPhase(phase, phase.isFinished() ? message : "", java.time.Instant.now());
        ferry.api.store.updateStatus(m.withStatus(next)).join();
      }
    });
  }

  @Test
  void waitFollowsTheMoveAndExitsZeroWhenItSucceeded() throws Exception {
    CompletableFuture<Void> controller = controllerMoving("mig-db", "moved", MigrationPhase.PreCopy,
        MigrationPhase.Switch, MigrationPhase.Succeeded);

    CliFixture.Run run = ferry.run("migrate", "mig-db", "--to", "mig-node3", "--wait");
    controller.join();

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("migration/mig-db-").contains(" created: mig-db moves from mig-node1 to mig-node3\n")
        .containsPattern("\nSucceeded: 0 B sent, [^\n]*\nmigration/mig-db-[a-z0-9]+ succeeded: mig-db runs on mig-node3\n$");
    ferry.api.store.delete(Kind.MIGRATION, migrationFor("mig-db").name(), 0).join();
  }

  @Test
  void waitOnATerminalRewritesOneProgressLine() throws Exception {
    CompletableFuture<Void> controller = controllerMoving("mig-db", "moved", MigrationPhase.PreCopy, MigrationPhase.Succeeded);

    CliFixture.Run run = ferry.runOnTerminal("migrate", "mig-db", "--to", "mig-node3", "--wait");
    controller.join();

    assertThat(run.exit()).as(run.err()).isZero();
    // Each state overwrites the line before it (carriage return, then erase to the end).
    assertThat(run.out()).containsPattern("\rSucceeded: 0 B sent, [^\n]*\u001b\\[K\n")
        .endsWith("succeeded: mig-db runs on mig-node3\n");
    ferry.api.store.delete(Kind.MIGRATION, migrationFor("mig-db").name(), 0).join();
  }

  @Test
  void waitExitsOneWithTheReasonWhenTheMoveRolledBack() throws Exception {
    CompletableFuture<Void> controller = controllerMoving("mig-db", "the target agent was lost in FinalSync",
        MigrationPhase.PreCopy, MigrationPhase.FinalSync, MigrationPhase.RolledBack);

    CliFixture.Run run = ferry.run("migrate", "mig-db", "--to", "mig-node3", "--wait");
    controller.join();

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("RolledBack: ");
    assertThat(run.err()).matches("error: migration/mig-db-[a-z0-9]+ rolled back: the target agent was lost in FinalSync"
        + " \\(mig-db stays on mig-node1\\)\n");
    ferry.api.store.delete(Kind.MIGRATION, migrationFor("mig-db").name(), 0).join();
  }

  @Test
  void aMigrationStillPendingIsReportedCreated() {
    CliFixture.Run run = ferry.run("migrate", "mig-db", "--to", "mig-node3", "--strategy", "StopAndCopy");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).matches("migration/mig-db-[a-z0-9]+ created: mig-db moves from mig-node1 to mig-node3\n");
    Migration m = migrationFor("mig-db");
    assertThat(m.spec().to()).isEqualTo("mig-node3");
    ferry.api.store.delete(Kind.MIGRATION, m.name(), 0).join();
  }

  @Test
  void aMigrationManifestWithoutDatasetAndFromIsCompletedByTheServer() throws Exception {
    CliFixture.Run run = ferry.run("apply", "-f", write("migrate/by-hand.yaml", """
        apiVersion: ferry/v1
        kind: Migration
        metadata: {name: mig-db-by-hand}
        spec: {statefulApp: mig-db, to: mig-node3}
        """).toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("migration/mig-db-by-hand created\n");
    Migration m = ferry.api.store.get(Kind.MIGRATION, "mig-db-by-hand").join().orElseThrow();
    assertThat(m.spec().dataset()).isEqualTo("mig-db-data");
    assertThat(m.spec().from()).isEqualTo("mig-node1");
    ferry.api.store.delete(Kind.MIGRATION, m.name(), 0).join();
  }

  @Test
  void aMigrationForAnotherAppsDatasetIsRefusedNamingTheField() throws Exception {
    CliFixture.Run run = ferry.run("apply", "-f", write("migrate/hijack.yaml", """
        apiVersion: ferry/v1
        kind: Migration
        metadata: {name: mig-hijack}
        spec: {statefulApp: mig-nodata, dataset: mig-db-data, from: mig-node1, to: mig-node3}
        """).toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("Error from server (Invalid)", "spec.statefulApp: StatefulApp \"mig-nodata\" has no spec.dataset");
    assertThat(ferry.api.store.get(Kind.MIGRATION, "mig-hijack").join()).isEmpty();
  }

  private static Migration migrationFor(String app) {
    return ferry.api.store.list(Kind.MIGRATION, LabelSelector.EVERYTHING).join().items().stream()
        .filter(m -> m.spec().statefulApp().equals(app)).findFirst().orElse(null);
  }
}
