package dev.ferry.controller.statefulapp;

import static dev.ferry.controller.statefulapp.Fixtures.GIB;
import static dev.ferry.controller.statefulapp.Fixtures.dataset;
import static dev.ferry.controller.statefulapp.Fixtures.node;
import static dev.ferry.controller.statefulapp.Fixtures.redis;
import static dev.ferry.controller.statefulapp.Fixtures.running;
import static dev.ferry.controller.statefulapp.Fixtures.seedNodes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetRef;
import dev.ferry.api.model.DatasetStatus;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.ReclaimPolicy;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.model.StatefulAppSpec;
import dev.ferry.api.model.StatefulAppStatus;
import dev.ferry.api.codec.Manifests;
import dev.ferry.controller.marathon.TaskGuard;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatefulAppPlannerTest {

  private static AppState state(StatefulApp app, Optional<dev.ferry.api.model.Dataset> dataset, Optional<MarathonView> marathon) {
    return new AppState(app, dataset, seedNodes(), Optional.empty(), marathon);
  }

  /** The app Ferry writes for the demo database on node1. */
  private static ObjectNode writtenOnNode1(StatefulApp app) {
    AppStep step = StatefulAppPlanner.plan(state(app, Optional.of(dataset("node1", "node1")), Optional.empty()));
    assertThat(step).isInstanceOf(AppStep.PutApp.class);
    return ((AppStep.PutApp) step).app();
  }

  @Test
  void newAppFirstGetsTheFinalizer() {
    StatefulApp fresh = Manifests.readOne("""
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: todos-db}
        spec: {app: {cmd: redis-server}}
        """, Kind.STATEFUL_APP);

    assertThat(StatefulAppPlanner.plan(state(fresh, Optional.empty(), Optional.empty())))
        .isEqualTo(new AppStep.AddFinalizer());
  }

  @Test
  void newAppGetsItsDatasetOnTheNodeThatFits() {
    assertThat(StatefulAppPlanner.plan(state(redis("spinning"), Optional.empty(), Optional.empty())))
        .isEqualTo(new AppStep.CreateDataset("node1"));
    assertThat(StatefulAppPlanner.plan(state(redis("ssd"), Optional.empty(), Optional.empty())))
        .isEqualTo(new AppStep.CreateDataset("node2"));
  }

  @Test
  void noNodeFitsSaysWhichNodesWereConsideredAndWhy() {
    AppStep step = StatefulAppPlanner.plan(state(redis("nvme"), Optional.empty(), Optional.empty()));

    assertThat(step).isInstanceOfSatisfying(AppStep.Unschedulable.class, u -> assertThat(u.reason())
        .isEqualTo("no node satisfies constraints [[disk, LIKE, nvme]]: node1 has {disk=spinning}; node2 has {disk=ssd}"));
  }

  @Test
  void noNodeHasTheSpace() {
    AppState tight = new AppState(redis("ssd"), Optional.empty(),
        List.of(node("node1", "spinning", 10 * GIB), node("node2", "ssd", GIB / 2)), Optional.empty(), Optional.empty());

    assertThat(StatefulAppPlanner.plan(tight)).isInstanceOfSatisfying(AppStep.Unschedulable.class,
        u -> assertThat(u.reason()).contains("node2 has 536870912 bytes free, needs 1073741824"));
  }

  @Test
  void waitsForTheAgentToCreateTheDataset() {
    AppStep step = StatefulAppPlanner.plan(state(redis("spinning"), Optional.of(dataset("node1")), Optional.empty()));

    assertThat(step).isEqualTo(new AppStep.Wait("waiting for node1 to create dataset todos-data"));
  }

  /** The task guard would refuse a task that cannot name its dataset's identity: none is started. */
  @Test
  void aDatasetWithoutAnIdentityIsNotStartedAndTheConditionSaysWhy() {
    Dataset created = dataset("node1", "node1");
    Dataset unidentified = created.withStatus(new DatasetStatus(1, created.status().copies(), List.of(), ""));
    AppState state = state(redis("spinning"), Optional.of(unidentified), Optional.empty());

    AppStep step = StatefulAppPlanner.plan(state);

    assertThat(step).isEqualTo(new AppStep.Wait("waiting for node1 to record the identity of dataset todos-data"
        + " (status.identity is empty): the app starts only on a dataset whose identity marker is known"));
    StatefulAppStatus status = AppConditions.status(state, step, Optional.empty(), Instant.EPOCH);
    assertThat(status.phase()).isEqualTo("Pending");
    assertThat(status.conditions()).anySatisfy(c -> {
      assertThat(c.type()).isEqualTo(AppConditions.DATASET_READY);
      assertThat(c.isTrue()).isFalse();
      assertThat(c.reason()).isEqualTo("NoIdentity");
      assertThat(c.message()).contains("status.identity is empty");
    });
  }

  @Test
  void aPrimaryCopyReportedNotMountedMakesDatasetReadyFalseWithTheAgentsReason() {
    Dataset created = dataset("node1", "node1");
    Dataset unmounted = created.withStatus(new DatasetStatus(1, created.status().copies(), List.of(
        new dev.ferry.api.model.Condition("Mounted", "False", "MountFailed",
            "zfs mount: mountpoint or dataset is busy", Instant.EPOCH, 1)), Fixtures.IDENTITY));
    AppState state = state(redis("spinning"), Optional.of(unmounted), Optional.empty());

    StatefulAppStatus status = AppConditions.status(state, StatefulAppPlanner.plan(state), Optional.empty(),
        Instant.EPOCH);

    assertThat(status.conditions()).anySatisfy(c -> {
      assertThat(c.type()).isEqualTo(AppConditions.DATASET_READY);
      assertThat(c.isTrue()).isFalse();
      assertThat(c.reason()).isEqualTo("MountFailed");
      assertThat(c.message()).isEqualTo("todos-data is not mounted on node1: zfs mount: mountpoint or dataset is busy");
    });
  }

  @Test
  void writesTheMarathonAppPinnedToTheDatasetsNode() {
    ObjectNode app = writtenOnNode1(redis("spinning"));

    assertThat(app.get("constraints").toString()).contains("[\"hostname\",\"CLUSTER\",\"node1\"]");
    assertThat(app.at("/env/FERRY_DATASET_PATH").asText()).isEqualTo("/var/lib/ferry/node1/todos-data");
    assertThat(app.at("/env/FERRY_DATASET_IDENTITY").asText()).isEqualTo(Fixtures.IDENTITY);
    assertThat(app.get("cmd").asText()).isEqualTo("exec /usr/lib/ferry/ferry-task-guard");
    assertThat(app.at("/env/FERRY_TASK_CMD").asText()).isEqualTo("redis-server");
  }

  @Test
  void datasetAlreadyOnAnotherNodeWhichFitsKeepsTheAppThere() {
    StatefulApp anyDisk = redis(".*");
    AppStep step = StatefulAppPlanner.plan(state(anyDisk, Optional.of(dataset("node2", "node2")), Optional.empty()));

    assertThat(step).isInstanceOfSatisfying(AppStep.PutApp.class,
        p -> assertThat(p.app().get("constraints").toString()).contains("[\"hostname\",\"CLUSTER\",\"node2\"]"));
  }

  @Test
  void steadyStateWritesNothing() {
    StatefulApp app = redis("spinning");
    MarathonView marathon = running(writtenOnNode1(app), true);

    assertThat(StatefulAppPlanner.plan(state(app, Optional.of(dataset("node1", "node1")), Optional.of(marathon))))
        .isEqualTo(new AppStep.InSync());
  }

  @Test
  void putsBackAnAppChangedBehindFerrysBack() {
    StatefulApp app = redis("spinning");
    MarathonView marathon = running(writtenOnNode1(app), true);
    ((ObjectNode) marathon.app()).put("instances", 3);

    assertThat(StatefulAppPlanner.plan(state(app, Optional.of(dataset("node1", "node1")), Optional.of(marathon))))
        .isInstanceOfSatisfying(AppStep.PutApp.class, p -> {
          assertThat(p.drift()).isTrue();
          assertThat(p.difference()).isEqualTo("instances");
          assertThat(p.app().get("instances").asInt()).isEqualTo(1);
        });
  }

  @Test
  void driftDuringADeploymentWaitsForItRatherThanHittingMarathonsLock() {
    StatefulApp app = redis("spinning");
    MarathonView running = running(writtenOnNode1(app), false);
    ((ObjectNode) running.app()).put("mem", 512);
    MarathonView deploying = new MarathonView(running.app(), running.tasks(), true);

    assertThat(StatefulAppPlanner.plan(state(app, Optional.of(dataset("node1", "node1")), Optional.of(deploying))))
        .isInstanceOfSatisfying(AppStep.Wait.class, w -> assertThat(w.reason()).contains("deploying"));
  }

  @Test
  void aNewSpecOverridesADeploymentOfTheOldOne() {
    StatefulApp before = redis("spinning");
    MarathonView running = running(writtenOnNode1(before), false);
    MarathonView deploying = new MarathonView(running.app(), running.tasks(), true);
    StatefulApp after = Fixtures.generation(withApp(before, "{cmd: redis-server, instances: 1, mem: 512}"), 2);

    assertThat(StatefulAppPlanner.plan(state(after, Optional.of(dataset("node1", "node1")), Optional.of(deploying))))
        .isInstanceOfSatisfying(AppStep.PutApp.class, p -> assertThat(p.force()).isTrue());
  }

  @Test
  void aFieldRemovedFromTheAppIsWrittenThoughWhatMarathonHasCoversTheRest() {
    StatefulApp before = withApp(redis("spinning"), "{cmd: redis-server, instances: 1, mem: 256, env: {MODE: fast}}");
    MarathonView marathon = running(writtenOnNode1(before), true);
    StatefulApp after = Fixtures.generation(withApp(before, "{cmd: redis-server, instances: 1, mem: 256}"), 2);

    assertThat(StatefulAppPlanner.plan(state(after, Optional.of(dataset("node1", "node1")), Optional.of(marathon))))
        .isInstanceOfSatisfying(AppStep.PutApp.class, p -> {
          assertThat(p.drift()).isFalse();
          assertThat(p.app().path("env").has("MODE")).isFalse();
        });
  }

  @Test
  void aSpecChangeMarathonNeedNotSeeIsNotWrittenSoTheTaskKeepsRunning() {
    StatefulApp before = redis("spinning");
    MarathonView marathon = running(writtenOnNode1(before), true);
    // A bigger dataset: Ferry's business, the same Marathon app.
    DatasetRef data = before.spec().dataset();
    StatefulApp after = Fixtures.generation(before.withSpec(new StatefulAppSpec(before.spec().app(),
        new DatasetRef(data.name(), Quantity.parse("2Gi"), data.mountPath(), data.reclaimPolicy()),
        before.spec().placement(), before.spec().migration())), 2);

    assertThat(StatefulAppPlanner.plan(state(after, Optional.of(dataset("node1", "node1")), Optional.of(marathon))))
        .isEqualTo(new AppStep.InSync());
  }

  @Test
  void anAppWhoseSecretsMarathonHoldsAsValuesIsInSync() {
    StatefulApp app = Fixtures.generation(withApp(redis("spinning"),
        "{cmd: redis-server, instances: 1, env: {A: b, PW: {secret: pw}}, secrets: {pw: {source: db/pw}}}"), 1);
    ObjectNode written = writtenOnNode1(app);
    // What Marathon holds: the controller wrote the value and no secrets (AppSecrets#resolve).
    written.remove("secrets");
    ((ObjectNode) written.get("env")).put("PW", "hunter2");

    assertThat(StatefulAppPlanner.plan(state(app, Optional.of(dataset("node1", "node1")), Optional.of(running(written, true)))))
        .isEqualTo(new AppStep.InSync());
  }

  @Test
  void theSameAppWithItsKeysInAnotherOrderIsInSync() {
    StatefulApp before = redis("spinning");
    MarathonView marathon = running(writtenOnNode1(before), true);
    StatefulApp reordered = Fixtures.generation(withApp(before, "{mem: 256, instances: 1, cmd: redis-server}"), 2);

    assertThat(StatefulAppPlanner.plan(state(reordered, Optional.of(dataset("node1", "node1")), Optional.of(marathon))))
        .isEqualTo(new AppStep.InSync());
  }

  @Test
  void placementChangedStartsAMigrationToTheNodeThatFits() {
    StatefulApp moved = Fixtures.generation(redis("ssd"), 2);
    MarathonView marathon = running(writtenOnNode1(redis("spinning")), true);

    assertThat(StatefulAppPlanner.plan(state(moved, Optional.of(dataset("node1", "node1")), Optional.of(marathon))))
        .isEqualTo(new AppStep.StartMigration("node1", "node2", "node1 no longer satisfies [[disk, LIKE, ssd]]"));
  }

  @Test
  void placementChangedButNoNodeFitsLeavesTheAppRunningWhereItIs() {
    StatefulApp moved = Fixtures.generation(redis("nvme"), 2);
    MarathonView marathon = running(writtenOnNode1(redis("spinning")), true);

    assertThat(StatefulAppPlanner.plan(state(moved, Optional.of(dataset("node1", "node1")), Optional.of(marathon))))
        .isInstanceOf(AppStep.Unschedulable.class);
  }

  @Test
  void movingBackPrefersTheNodeThatStillHoldsACopy() {
    AppState state = new AppState(redis("spinning"), Optional.of(dataset("node2", "node1", "node2")),
        List.of(node("node1", "spinning", GIB), node("node2", "ssd", 10 * GIB), node("node3", "spinning", 50 * GIB)),
        Optional.empty(), Optional.empty());

    assertThat(StatefulAppPlanner.plan(state)).isInstanceOfSatisfying(AppStep.StartMigration.class,
        m -> assertThat(m.to()).isEqualTo("node1"));
  }

  @Test
  void afterAFailedMoveTheAppRunsWhereItsDataIsAndTheMoveWaits() {
    StatefulApp moved = Fixtures.generation(redis("ssd"), 2);
    Instant failedAt = Instant.parse("2026-11-21T10:00:00Z");
    MigrationRetry retry = new MigrationRetry(1, Optional.of(failedAt));
    MarathonView stopped = running(writtenOnNode1(redis("spinning")), true);
    ((ObjectNode) stopped.app()).put("instances", 0);

    AppState soon = new AppState(moved, Optional.of(dataset("node1", "node1")), seedNodes(), Optional.empty(),
        Optional.of(stopped), retry, false, failedAt.plusSeconds(10), TaskGuard.INSTALLED);
    assertThat(StatefulAppPlanner.plan(soon)).as("the rolled back app is started on node1 again")
        .isInstanceOfSatisfying(AppStep.PutApp.class, p -> {
          assertThat(p.app().get("instances").asInt()).isEqualTo(1);
          assertThat(p.app().get("constraints").toString()).contains("node1");
        });

    MarathonView runningAgain = running(StatefulAppPlanner.plan(soon) instanceof AppStep.PutApp p ? p.app() : null, true);
    AppState stillSoon = new AppState(moved, Optional.of(dataset("node1", "node1")), seedNodes(), Optional.empty(),
        Optional.of(runningAgain), retry, false, failedAt.plusSeconds(10), TaskGuard.INSTALLED);
    assertThat(StatefulAppPlanner.plan(stillSoon)).isEqualTo(new AppStep.MoveLater(
        "1 move(s) of the data failed; the next try is in 20s", java.time.Duration.ofSeconds(20)));

    AppState later = new AppState(moved, Optional.of(dataset("node1", "node1")), seedNodes(), Optional.empty(),
        Optional.of(runningAgain), retry, false, failedAt.plusSeconds(31), TaskGuard.INSTALLED);
    assertThat(StatefulAppPlanner.plan(later)).isInstanceOf(AppStep.StartMigration.class);
  }

  @Test
  void aMoveThatFailedWhileTheAppKeptRunningLeavesItsTaskAlone() {
    StatefulApp moved = Fixtures.generation(redis("ssd"), 2);
    Instant failedAt = Instant.parse("2026-11-21T10:00:00Z");
    MarathonView untouched = running(writtenOnNode1(redis("spinning")), true);

    AppState soon = new AppState(moved, Optional.of(dataset("node1", "node1")), seedNodes(), Optional.empty(),
        Optional.of(untouched), new MigrationRetry(1, Optional.of(failedAt)), false, failedAt.plusSeconds(10), TaskGuard.INSTALLED);
    assertThat(StatefulAppPlanner.plan(soon)).as("no write, which would restart the task for a new label")
        .isInstanceOf(AppStep.MoveLater.class);
  }

  /** {@code redis} with another {@code spec.app}, given as YAML flow. */
  private static StatefulApp withApp(StatefulApp app, String flow) {
    StatefulApp parsed = Manifests.readOne("""
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: todos-db}
        spec:
          app: %s
          dataset: {name: todos-data, size: 1Gi}
          placement:
            constraints: [[disk, LIKE, spinning]]
        """.formatted(flow), Kind.STATEFUL_APP);
    return app.withSpec(new StatefulAppSpec(parsed.spec().app(), app.spec().dataset(),
        app.spec().placement(), app.spec().migration()));
  }

  @Test
  void aLockWhoseMigrationWasDeletedIsReleased() {
    Dataset locked = Fixtures.lockedBy(dataset("node1", "node1"), "todos-db-1");
    AppState state = new AppState(redis("ssd"), Optional.of(locked), seedNodes(), Optional.empty(), Optional.empty(),
        MigrationRetry.NONE, true, Instant.EPOCH, TaskGuard.INSTALLED);

    assertThat(StatefulAppPlanner.plan(state)).isEqualTo(new AppStep.ReleaseDataset("todos-db-1"));
  }

  @Test
  void leavesMarathonAloneWhileAMigrationRuns() {
    Migration migration = new Migration(ObjectMeta.named("todos-db-1"),
        new MigrationSpec("todos-db", "todos-data", "node1", "node2", null, null, 0));
    AppState state = new AppState(redis("ssd"), Optional.of(dataset("node1", "node1")), seedNodes(),
        Optional.of(migration), Optional.empty());

    assertThat(StatefulAppPlanner.plan(state)).isEqualTo(new AppStep.Wait("migration todos-db-1 is moving the data"));
  }

  @Test
  void waitsWhileTheNodeHoldingTheDataIsDown() {
    AppState state = new AppState(redis("spinning"), Optional.of(dataset("node1", "node1")),
        List.of(node("node2", "ssd", 10 * GIB)), Optional.empty(), Optional.empty());

    assertThat(StatefulAppPlanner.plan(state)).isInstanceOfSatisfying(AppStep.Wait.class,
        w -> assertThat(w.reason()).startsWith("node node1, which holds the data, is not registered"));
  }

  @Test
  void appWithoutDatasetIsAPlainManagedMarathonApp() {
    StatefulApp front = Fixtures.withFinalizer(Manifests.readOne("""
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: todos}
        spec: {app: {cmd: "python3 -m http.server $PORT0", instances: 2}}
        """, Kind.STATEFUL_APP));

    assertThat(StatefulAppPlanner.plan(new AppState(front, Optional.empty(), List.of(), Optional.empty(), Optional.empty())))
        .isInstanceOfSatisfying(AppStep.PutApp.class, p -> assertThat(p.app().get("instances").asInt()).isEqualTo(2));
  }

  @Test
  void deletionRemovesTheMarathonAppThenTheDataWhenAskedThenTheFinalizer() {
    StatefulApp deleting = Fixtures.deleting(redis("spinning"));
    StatefulApp deleteData = Fixtures.deleting(redis("spinning", ReclaimPolicy.Delete));
    MarathonView marathon = running(writtenOnNode1(redis("spinning")), true);

    assertThat(StatefulAppPlanner.plan(state(deleting, Optional.of(dataset("node1", "node1")), Optional.of(marathon))))
        .isEqualTo(new AppStep.DeleteApp());
    assertThat(StatefulAppPlanner.plan(state(deleting, Optional.of(dataset("node1", "node1")), Optional.empty())))
        .as("Retain keeps the data").isEqualTo(new AppStep.RemoveFinalizer());
    assertThat(StatefulAppPlanner.plan(state(deleteData, Optional.of(dataset("node1", "node1")), Optional.empty())))
        .isEqualTo(new AppStep.DeleteDataset());
    assertThat(StatefulAppPlanner.plan(state(deleteData, Optional.empty(), Optional.empty())))
        .isEqualTo(new AppStep.RemoveFinalizer());
  }
}
