package dev.ferry.controller.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.DatasetStatus;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.MigrationStatus;
import dev.ferry.api.model.MigrationStrategy;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.NodeSpec;
import dev.ferry.api.model.NodeStatus;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.ReclaimPolicy;
import dev.ferry.api.model.Snapshot;
import dev.ferry.api.model.Transfer;
import dev.ferry.api.model.TransferRound;
import dev.ferry.controller.statefulapp.MarathonView;
import dev.ferry.controller.statefulapp.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedTest;

class MigrationPlannerTest {

  private static final long MIB = 1L << 20;
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final Instant NOW = T0.plusSeconds(30);

  private static Node node(String name, long free) {
    return new Node(ObjectMeta.named(name), new NodeSpec(name, "127.0.1." + name.charAt(4), 0,
        Map.of("disk", name.equals("node1") ? "spinning" : "ssd"), "pool", "/data/" + name, "test"))
        .withStatus(new NodeStatus(10L << 30, free, 1, T0, List.of()));
  }

  private static final List<Node> BOTH = List.of(node("node1", 10L << 30), node("node2", 10L << 30));

  private static Migration migration(MigrationStrategy strategy, MigrationStatus status) {
    ObjectMeta meta = new ObjectMeta("todos-db-1", Map.of(), Map.of(), "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b", 1, 5,
        T0, null, List.of());
    return new Migration(meta, new MigrationSpec("todos-db", "todos-data", "node1", "node2", strategy,
        Quantity.mebibytes(64), 10)).withStatus(status);
  }

  private static Migration migration(MigrationStatus status) {
    return migration(MigrationStrategy.PreCopy, status);
  }

  private static MigrationStatus in(MigrationPhase phase) {
    return MigrationStatus.EMPTY.withPhase(phase, "", T0).started(T0);
  }

  private static DatasetCopy copy(boolean primary, String... guids) {
    List<Snapshot> snaps = java.util.Arrays.stream(guids).map(g -> new Snapshot("s" + g, g, T0)).toList();
    return new DatasetCopy(snaps, 100 * MIB, 900 * MIB, primary, !primary, T0);
  }

  private static Dataset dataset(String primary, String lock, Map<String, DatasetCopy> copies) {
    return new Dataset(ObjectMeta.named("todos-data"), new DatasetSpec(Quantity.gibibytes(1), primary, lock,
        ReclaimPolicy.Retain)).withStatus(new DatasetStatus(1, copies, List.of(), "todos-data/5e1f0c9a"));
  }

  private static Dataset locked(String primary) {
    return dataset(primary, "todos-db-1", Map.of("node1", copy(primary.equals("node1"), "g1")));
  }

  private static MarathonView app(String host, int instances, boolean taskHealthy, boolean hasTask) {
    ObjectNode a = Json.json().createObjectNode().put("id", "/todos-db").put("instances", instances);
    a.putArray("constraints").addArray().add("hostname").add("CLUSTER").add(host);
    List<TaskView> tasks = hasTask ? List.of(new TaskView("t1", "127.0.1.x", "TASK_RUNNING", taskHealthy)) : List.of();
    return new MarathonView(a, tasks, false);
  }

  private static MigrationStep plan(Migration m, Dataset d, List<Node> nodes, Optional<MarathonView> marathon) {
    return MigrationPlanner.plan(new MigrationState(m, Optional.empty(), Optional.of(d), nodes, marathon, NOW));
  }

  private static MigrationStep plan(Migration m, Dataset d) {
    return plan(m, d, BOTH, Optional.empty());
  }

  private static TransferRound round(int n, long bytes) {
    return new TransferRound(n, "snap" + n, "g" + (n + 10), n == 0 ? "" : "g" + (n + 9), bytes, null);
  }

  private static MigrationStatus withRounds(MigrationPhase phase, long... bytes) {
    MigrationStatus s = in(phase);
    for (int i = 0; i < bytes.length; i++) {
      TransferRound r = round(i, bytes[i]);
      s = s.withRound(r).withTransfer(Transfer.request(i, r.snapshot(), false, "t", T0).succeeded(bytes[i], r.guid(), r.baseGuid(), T0));
    }
    return s;
  }

  // Pending: checks, then the lock

  @Test
  void pendingTakesTheDatasetsLockThenIsPlanned() {
    Dataset free = dataset("node1", "", Map.of("node1", copy(true, "g1")));
    assertThat(plan(migration(MigrationStatus.EMPTY), free)).isEqualTo(new MigrationStep.LockDataset());

    MigrationStep next = plan(migration(MigrationStatus.EMPTY), locked("node1"));
    assertThat(next).isInstanceOfSatisfying(MigrationStep.UpdateStatus.class,
        u -> assertThat(u.status().phase()).isEqualTo(MigrationPhase.Planned));
  }

  /** Another app's migration between two nodes, running. */
  private static Migration other(String name, String from, String to) {
    return new Migration(ObjectMeta.named(name), new MigrationSpec("app-" + name, name + "-data", from, to,
        MigrationStrategy.PreCopy, Quantity.mebibytes(64), 10)).withStatus(in(MigrationPhase.PreCopy));
  }

  private static MigrationStep planWithRunning(Migration m, int max, Migration... running) {
    Dataset free = dataset("node1", "", Map.of("node1", copy(true, "g1")));
    return MigrationPlanner.plan(new MigrationState(m, Optional.empty(), Optional.of(free), List.of(node("node1", 10L << 30),
        node("node2", 10L << 30), node("node3", 10L << 30)), Optional.empty(), NOW, List.of(running), max));
  }

  @Test
  void pendingQueuesBehindMigrationsThatFillTheSourceOrTheTargetNode() {
    // node1 -> node2, at most 2 per node: what it waits behind, and what it does not.
    record Case(String why, int max, List<Migration> running, Optional<String> queuedBehind) {}
    List<Case> cases = List.of(
        new Case("none running", 2, List.of(), Optional.empty()),
        new Case("one from the source", 2, List.of(other("m-a", "node1", "node3")), Optional.empty()),
        new Case("two from the source", 2, List.of(other("m-a", "node1", "node3"), other("m-b", "node1", "node3")),
            Optional.of("queued behind m-a, m-b: 2 migrations from node node1")),
        new Case("two to the target", 2, List.of(other("m-c", "node3", "node2"), other("m-d", "node3", "node2")),
            Optional.of("queued behind m-c, m-d: 2 migrations to node node2")),
        new Case("the target is another's source", 1, List.of(other("m-e", "node2", "node3")), Optional.empty()),
        new Case("one to the target, cap 1", 1, List.of(other("m-f", "node3", "node2")),
            Optional.of("queued behind m-f: 1 migrations to node node2")));
    for (Case c : cases) {
      MigrationStep step = planWithRunning(migration(MigrationStatus.EMPTY), c.max(), c.running().toArray(Migration[]::new));
      if (c.queuedBehind().isEmpty()) {
        assertThat(step).as(c.why()).isEqualTo(new MigrationStep.LockDataset());
      } else {
        assertThat(step).as(c.why()).isInstanceOfSatisfying(MigrationStep.Queue.class, q -> {
          assertThat(q.reason()).startsWith(c.queuedBehind().get()).contains("maxMigrationsPerNode " + c.max());
          assertThat(q.status().phase()).isEqualTo(MigrationPhase.Pending);
          assertThat(q.status().message()).isEqualTo(q.reason());
          assertThat(q.status().conditions()).singleElement().satisfies(cond -> {
            assertThat(cond.type()).isEqualTo("Queued");
            assertThat(cond.status()).isEqualTo("True");
            assertThat(cond.reason()).isEqualTo("NodeBusy");
          });
        });
      }
    }
  }

  @Test
  void aQueuedMigrationWaitsWithoutWritingAgainThenIsPlannedOnceASlotFrees() {
    Migration[] running = {other("m-a", "node1", "node3")};
    MigrationStep.Queue queue = (MigrationStep.Queue) planWithRunning(migration(MigrationStatus.EMPTY), 1, running);
    Migration queued = migration(queue.status());

    assertThat(planWithRunning(queued, 1, running)).isInstanceOfSatisfying(MigrationStep.Wait.class,
        w -> assertThat(w.reason()).isEqualTo(queue.reason()));
    assertThat(planWithRunning(queued, 1)).isEqualTo(new MigrationStep.LockDataset());
    MigrationStep planned = MigrationPlanner.plan(new MigrationState(queued, Optional.empty(), Optional.of(locked("node1")),
        BOTH, Optional.empty(), NOW));
    assertThat(planned).isInstanceOfSatisfying(MigrationStep.UpdateStatus.class, u -> {
      assertThat(u.status().phase()).isEqualTo(MigrationPhase.Planned);
      assertThat(u.status().conditions()).singleElement().satisfies(cond -> {
        assertThat(cond.status()).isEqualTo("False");
        assertThat(cond.reason()).isEqualTo("Started");
      });
    });
  }

  @Test
  void pendingFailsWhenAnotherMigrationHoldsTheDataset() {
    Dataset other = dataset("node1", "todos-db-0", Map.of());
    assertFinished(plan(migration(MigrationStatus.EMPTY), other), MigrationPhase.Failed,
        "dataset todos-data is being moved by migration todos-db-0");
  }

  @ParameterizedTest(name = "in {0}")
  @EnumSource(value = MigrationPhase.class, names = {"Planned", "PreCopy", "Quiesce", "FinalSync", "Switch", "Start"})
  void aMigrationWhoseLockWasTakenAwayStopsInEveryPhaseAfterPending(MigrationPhase phase) {
    for (String lock : List.of("", "todos-db-2")) {
      Dataset taken = dataset(phase.compareTo(MigrationPhase.Switch) > 0 ? "node2" : "node1", lock,
          Map.of("node1", copy(true, "g1"), "node2", copy(false, "g1")));
      assertFinished(plan(migration(withRounds(phase, 10 * MIB)), taken), MigrationPhase.Failed,
          "dataset todos-data is no longer locked by this migration (spec.migration is '" + lock + "'): stopped in " + phase);
    }
  }

  @Test
  void pendingFailsWhenTheDataIsNotWhereTheMigrationSays() {
    assertFinished(plan(migration(MigrationStatus.EMPTY), dataset("node2", "", Map.of())), MigrationPhase.Failed,
        "dataset todos-data is on node2, not on node1");
  }

  @Test
  void pendingFailsWhenTheTargetIsNotRegistered() {
    assertFinished(plan(migration(MigrationStatus.EMPTY), dataset("node1", "", Map.of()), List.of(node("node1", 1L << 40)),
        Optional.empty()), MigrationPhase.Failed, "node node2 is not registered");
  }

  @Test
  void pendingFailsWhenTheTargetHasNoSpace() {
    assertFinished(plan(migration(MigrationStatus.EMPTY), dataset("node1", "", Map.of()),
        List.of(node("node1", 1L << 40), node("node2", 100 * MIB)), Optional.empty()), MigrationPhase.Failed,
        "node node2 has 104857600 bytes free, the dataset needs 1073741824");
  }

  @Test
  void anExplicitMoveToANodeThePlacementDoesNotAllowIsRefused() {
    StatefulApp spinning = Manifests.readOne("""
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: todos-db}
        spec:
          app: {cmd: redis-server}
          dataset: {name: todos-data, size: 1Gi}
          placement: {constraints: [[disk, LIKE, spinning]]}
        """, Kind.STATEFUL_APP);
    MigrationStep step = MigrationPlanner.plan(new MigrationState(migration(MigrationStatus.EMPTY), Optional.of(spinning),
        Optional.of(dataset("node1", "", Map.of())), BOTH, Optional.empty(), NOW));

    assertFinished(step, MigrationPhase.Failed,
        "node node2 does not satisfy the placement [[disk, LIKE, spinning]]: change spec.placement to move the app there");
  }

  @Test
  void plannedGoesToPreCopyOrStraightToQuiesceForStopAndCopy() {
    MigrationStatus planned = MigrationStatus.EMPTY.withPhase(MigrationPhase.Planned, "", T0);
    assertThat(plan(migration(planned), locked("node1"))).isInstanceOfSatisfying(MigrationStep.UpdateStatus.class, u -> {
      assertThat(u.status().phase()).isEqualTo(MigrationPhase.PreCopy);
      assertThat(u.status().startTime()).isEqualTo(NOW);
    });
    assertThat(plan(migration(MigrationStrategy.StopAndCopy, planned), locked("node1")))
        .isInstanceOfSatisfying(MigrationStep.UpdateStatus.class,
            u -> assertThat(u.status().phase()).isEqualTo(MigrationPhase.Quiesce));
  }

  // PreCopy rounds

  @Test
  void preCopyStartsWithAFullStream() {
    assertThat(plan(migration(in(MigrationPhase.PreCopy)), locked("node1")))
        .isEqualTo(new MigrationStep.RequestTransfer(0, 1, "ferry-6f1c2a3b4d5e-0", false, ""));
  }

  @Test
  void preCopyToANodeWithAnOldCopySendsOnlyTheDifference() {
    Map<String, DatasetCopy> copies = new HashMap<>();
    copies.put("node1", copy(true, "g1", "g2", "g3"));
    copies.put("node2", copy(false, "g1", "g2"));
    Dataset d = dataset("node1", "todos-db-1", copies);

    assertThat(plan(migration(in(MigrationPhase.PreCopy)), d)).isInstanceOfSatisfying(MigrationStep.RequestTransfer.class,
        r -> assertThat(r.baseGuid()).isEqualTo("g2"));
  }

  @Test
  void preCopyWaitsWhileTheAgentSends() {
    MigrationStatus running = in(MigrationPhase.PreCopy)
        .withTransfer(Transfer.request(0, "snap0", false, "t", T0).running(300 * MIB, 100 * MIB, T0));
    assertThat(plan(migration(running), locked("node1"))).isInstanceOfSatisfying(MigrationStep.Wait.class,
        w -> assertThat(w.reason()).isEqualTo("round 0 is running (314572800 bytes so far)"));
  }

  @Test
  void preCopyRecordsAFinishedRoundOnce() {
    MigrationStatus sent = in(MigrationPhase.PreCopy)
        .withTransfer(Transfer.request(0, "snap0", false, "t", T0).succeeded(900 * MIB, "g10", "", T0));
    MigrationStep step = plan(migration(sent), locked("node1"));

    assertThat(step).isInstanceOfSatisfying(MigrationStep.UpdateStatus.class, u -> {
      assertThat(u.status().rounds()).extracting(TransferRound::guid).containsExactly("g10");
      assertThat(u.status().bytesTransferred()).isEqualTo(900 * MIB);
    });
  }

  @Test
  void aRoundIsRecordedWithHowLongItsStreamTookAtTheRateTheAgentReported() {
    MigrationStatus sent = in(MigrationPhase.PreCopy)
        .withTransfer(Transfer.request(0, "snap0", false, "t", T0).succeeded(900 * MIB, "g10", "", 100 * MIB, T0));
    MigrationStep step = plan(migration(sent), locked("node1"));

    assertThat(step).isInstanceOfSatisfying(MigrationStep.UpdateStatus.class,
        u -> assertThat(u.status().rounds()).extracting(TransferRound::duration).containsExactly(Duration.ofSeconds(9)));
  }

  @Test
  void preCopyAsksForAnotherRoundFromTheLastOneWhileDeltasAreLarge() {
    assertThat(plan(migration(withRounds(MigrationPhase.PreCopy, 900 * MIB)), locked("node1")))
        .isEqualTo(new MigrationStep.RequestTransfer(1, 1, "ferry-6f1c2a3b4d5e-1", false, "g10"));
  }

  @Test
  void preCopyStopsWhenARoundIsSmallEnough() {
    assertPhase(plan(migration(withRounds(MigrationPhase.PreCopy, 900 * MIB, 200 * MIB, 10 * MIB)), locked("node1")),
        MigrationPhase.Quiesce);
  }

  @Test
  void preCopyStopsWhenDeltasStopShrinking() {
    assertPhase(plan(migration(withRounds(MigrationPhase.PreCopy, 900 * MIB, 200 * MIB, 250 * MIB)), locked("node1")),
        MigrationPhase.Quiesce);
  }

  @Test
  void preCopyStopsAfterMaxRounds() {
    long[] shrinking = {900, 800, 700, 600, 500, 400, 300, 250, 200, 150};
    long[] bytes = java.util.Arrays.stream(shrinking).map(b -> b * MIB).toArray();
    assertPhase(plan(migration(withRounds(MigrationPhase.PreCopy, bytes)), locked("node1")), MigrationPhase.Quiesce);
  }

  @Test
  void aFailedRoundIsAskedForAgainOnceItsBackoffHasPassed() {
    MigrationStatus copying = withRounds(MigrationPhase.PreCopy, 900 * MIB);
    // attempt that failed, seconds before NOW it failed, and the step: the backoff is 1 s doubling to 30 s.
    record Case(int attempt, long failedSecondsAgo, MigrationStep step) {}
    List<Case> cases = List.of(
        new Case(1, 0, wait(Duration.ofSeconds(1))),
        new Case(1, 1, new MigrationStep.RequestTransfer(1, 2, "ferry-6f1c2a3b4d5e-1", false, "g10")),
        new Case(3, 3, wait(Duration.ofSeconds(1))),
        new Case(3, 4, new MigrationStep.RequestTransfer(1, 4, "ferry-6f1c2a3b4d5e-1", false, "g10")),
        new Case(7, 29, wait(Duration.ofSeconds(1))),
        new Case(12, 30, new MigrationStep.RequestTransfer(1, 13, "ferry-6f1c2a3b4d5e-1", false, "g10")));
    for (Case c : cases) {
      Transfer failed = Transfer.request(1, c.attempt(), "snap1", false, "t", T0)
          .failed("connection timed out: /127.0.1.2:7070", NOW.minusSeconds(c.failedSecondsAgo()));
      MigrationStep step = plan(migration(copying.withTransfer(failed)), locked("node1"));
      if (c.step() instanceof MigrationStep.Wait w) {
        assertThat(step).as("%s", c).isInstanceOfSatisfying(MigrationStep.Wait.class, got -> {
          assertThat(got.recheck()).isEqualTo(w.recheck());
          assertThat(got.reason()).contains("round 1 failed (attempt " + c.attempt() + "): connection timed out");
        });
      } else {
        assertThat(step).as("%s", c).isEqualTo(c.step());
      }
    }
  }

  @Test
  void aFailedFirstRoundToANodeWithAnOldCopyIsRetriedFromTheSameBaseNotAsAFullStream() {
    Map<String, DatasetCopy> copies = new HashMap<>();
    copies.put("node1", copy(true, "g1", "g2", "g3"));
    copies.put("node2", copy(false, "g1", "g2"));
    Dataset d = dataset("node1", "todos-db-1", copies);
    Transfer failed = Transfer.request(0, "ferry-6f1c2a3b4d5e-0", false, "t", T0).failed("out of space", T0);

    // A full stream would be refused: the target already has a copy that it would overwrite.
    assertThat(plan(migration(in(MigrationPhase.PreCopy).withTransfer(failed)), d))
        .isEqualTo(new MigrationStep.RequestTransfer(0, 2, "ferry-6f1c2a3b4d5e-0", false, "g2"));
  }

  @Test
  void aRoundStillFailingAtTheDeadlineRollsBackWithTheReason() {
    Transfer failed = Transfer.request(1, 5, "snap1", false, "t", T0).failed("connection timed out: /127.0.1.2:7070", NOW);
    // Started at T0, NOW is T0 + 30 s: the deadline of a 30 s migration has come, one of 31 s has not.
    assertFinished(plan(migration(withRounds(MigrationPhase.PreCopy, 900 * MIB).withTransfer(failed), 30), locked("node1")),
        MigrationPhase.RolledBack, "gave up at the deadline (spec.deadlineSeconds: 30): round 1 failed 5 times, the last"
            + " time: connection timed out: /127.0.1.2:7070");
    assertThat(plan(migration(withRounds(MigrationPhase.PreCopy, 900 * MIB).withTransfer(failed), 31), locked("node1")))
        .isInstanceOf(MigrationStep.Wait.class);
    // The default deadline is ten minutes: three failures in a row no longer end a migration.
    Transfer third = Transfer.request(1, 3, "snap1", false, "t", T0).failed("connection reset", T0);
    assertThat(plan(migration(withRounds(MigrationPhase.PreCopy, 900 * MIB).withTransfer(third)), locked("node1")))
        .isEqualTo(new MigrationStep.RequestTransfer(1, 4, "ferry-6f1c2a3b4d5e-1", false, "g10"));
    Transfer fenced = Transfer.request(2, 2, "snap2", true, "t", T0).failed("connection timed out", T0);
    MigrationStatus syncing = withRounds(MigrationPhase.FinalSync, 900 * MIB, 10 * MIB).quiesced(T0).withTransfer(fenced);
    assertFinished(plan(migration(syncing, 30), locked("node1")), MigrationPhase.RolledBack,
        "gave up at the deadline (spec.deadlineSeconds: 30): round 2 failed 2 times, the last time: connection timed out");
  }

  @Test
  void aFinalRoundStillFailingThirtySecondsAfterTheAppStoppedRollsBackLongBeforeTheDeadline() {
    // The app has been down since it was stopped for the fenced round; the default deadline is ten minutes.
    Transfer fenced = Transfer.request(2, 4, "snap2", true, "t", T0).failed("connection timed out", NOW);
    MigrationStatus syncing = withRounds(MigrationPhase.FinalSync, 900 * MIB, 10 * MIB).withTransfer(fenced);

    assertFinished(plan(migration(syncing.quiesced(NOW.minus(MigrationPlanner.FENCED_ROUND_DEADLINE))), locked("node1")),
        MigrationPhase.RolledBack, "gave up on the final round after 30 s with the app stopped: round 2 failed 4 times,"
            + " the last time: connection timed out");
    assertThat(plan(migration(syncing.quiesced(NOW.minusSeconds(29))), locked("node1")))
        .as("within 30 s of the stop the round is asked for again").isNotInstanceOf(MigrationStep.UpdateStatus.class)
        .isInstanceOfAny(MigrationStep.Wait.class, MigrationStep.RequestTransfer.class);
  }

  private static MigrationStep.Wait wait(Duration recheck) {
    return new MigrationStep.Wait("", recheck);
  }

  private static Migration migration(MigrationStatus status, int deadlineSeconds) {
    Migration m = migration(status);
    MigrationSpec s = m.spec();
    return new Migration(m.metadata(), new MigrationSpec(s.statefulApp(), s.dataset(), s.from(), s.to(), s.strategy(),
        s.maxFinalDelta(), s.maxRounds(), deadlineSeconds)).withStatus(status);
  }

  @Test
  void targetDyingDuringPreCopyRollsBack() {
    assertFinished(plan(migration(withRounds(MigrationPhase.PreCopy, 900 * MIB)), locked("node1"),
        List.of(node("node1", 1L << 40)), Optional.empty()), MigrationPhase.RolledBack,
        "node node2 (the target) went away during PreCopy");
  }

  @Test
  void sourceDyingDuringPreCopyRollsBack() {
    assertFinished(plan(migration(withRounds(MigrationPhase.PreCopy, 900 * MIB)), locked("node1"),
        List.of(node("node2", 1L << 40)), Optional.empty()), MigrationPhase.RolledBack,
        "node node1 (the source) went away during PreCopy");
  }

  // Quiesce, FinalSync, Switch, Start

  @Test
  void quiesceRecordsWhenTheAppStopsThenStopsItThenWaitsForTheTask() {
    MigrationStatus entering = withRounds(MigrationPhase.Quiesce, 900 * MIB, 10 * MIB);
    assertThat(plan(migration(entering), locked("node1"))).isInstanceOfSatisfying(MigrationStep.UpdateStatus.class,
        u -> assertThat(u.status().quiesceTime()).isEqualTo(NOW));

    MigrationStatus quiescing = entering.quiesced(T0);
    assertThat(plan(migration(quiescing), locked("node1"), BOTH, Optional.of(app("node1", 1, true, true))))
        .isEqualTo(new MigrationStep.StopApp());
    assertThat(plan(migration(quiescing), locked("node1"), BOTH, Optional.of(app("node1", 0, true, true))))
        .isInstanceOf(MigrationStep.Wait.class);
    assertPhase(plan(migration(quiescing), locked("node1"), BOTH, Optional.of(app("node1", 0, true, false))),
        MigrationPhase.FinalSync);
  }

  @Test
  void finalSyncSendsTheLastDeltaBehindTheFenceThenSwitches() {
    MigrationStatus syncing = withRounds(MigrationPhase.FinalSync, 900 * MIB, 10 * MIB).quiesced(T0);
    assertThat(plan(migration(syncing), locked("node1")))
        .isEqualTo(new MigrationStep.RequestTransfer(2, 1, "ferry-6f1c2a3b4d5e-2", true, "g11"));

    Transfer fenced = Transfer.request(2, "ferry-6f1c2a3b4d5e-2", true, "t", T0).succeeded(MIB, "g12", "g11", T0);
    MigrationStep recorded = plan(migration(syncing.withTransfer(fenced)), locked("node1"));
    assertThat(recorded).isInstanceOf(MigrationStep.UpdateStatus.class);
    MigrationStatus afterRecord = ((MigrationStep.UpdateStatus) recorded).status();
    assertPhase(plan(migration(afterRecord), locked("node1")), MigrationPhase.Switch);
  }

  @Test
  void switchMovesThePrimaryOnceThenStarts() {
    MigrationStatus switching = withRounds(MigrationPhase.Switch, 900 * MIB).quiesced(T0);
    assertThat(plan(migration(switching), locked("node1"))).isEqualTo(new MigrationStep.SwitchPrimary());
    assertPhase(plan(migration(switching), locked("node2")), MigrationPhase.Start);
  }

  @Test
  void startWaitsForTheWritableCopyThenStartsTheAppThenSucceedsWithTheDowntime() {
    MigrationStatus starting = withRounds(MigrationPhase.Start, 900 * MIB).quiesced(T0.plusSeconds(25));
    Map<String, DatasetCopy> notYet = Map.of("node2", copy(false, "g10"));
    Map<String, DatasetCopy> ready = Map.of("node2", copy(true, "g10"));

    assertThat(plan(migration(starting), dataset("node2", "todos-db-1", notYet))).isInstanceOf(MigrationStep.Wait.class);
    assertThat(plan(migration(starting), dataset("node2", "todos-db-1", ready), BOTH, Optional.of(app("node1", 0, false, false))))
        .isEqualTo(new MigrationStep.StartApp());
    assertThat(plan(migration(starting), dataset("node2", "todos-db-1", ready), BOTH, Optional.of(app("node2", 1, false, true))))
        .isInstanceOf(MigrationStep.Wait.class);
    assertThat(plan(migration(starting), dataset("node2", "todos-db-1", ready), BOTH, Optional.of(app("node2", 1, true, true))))
        .isInstanceOfSatisfying(MigrationStep.Finish.class, f -> {
          assertThat(f.phase()).isEqualTo(MigrationPhase.Succeeded);
          assertThat(f.status().downtime()).isEqualTo(Duration.ofSeconds(5));
          assertThat(f.status().completionTime()).isEqualTo(NOW);
        });
  }

  /** The app is written with the identity its task guard checks: none yet, no start. */
  @Test
  void startWaitsForTheDatasetsIdentity() {
    MigrationStatus starting = withRounds(MigrationPhase.Start, 900 * MIB).quiesced(T0);
    Dataset ready = dataset("node2", "todos-db-1", Map.of("node2", copy(true, "g10")));
    Dataset unidentified = ready.withStatus(new DatasetStatus(1, ready.status().copies(), List.of(), ""));

    assertThat(plan(migration(starting), unidentified, BOTH, Optional.of(app("node1", 0, false, false))))
        .isEqualTo(new MigrationStep.Wait("waiting for dataset todos-data's identity (status.identity is empty)",
            Duration.ofSeconds(1)));
  }

  @Test
  void afterTheSwitchALostSourceDoesNotRollBack() {
    MigrationStatus starting = withRounds(MigrationPhase.Start, 900 * MIB).quiesced(T0);
    Dataset onTarget = dataset("node2", "todos-db-1", Map.of("node2", copy(true, "g10")));

    assertThat(plan(migration(starting), onTarget, List.of(node("node2", 1L << 40)), Optional.empty()))
        .isEqualTo(new MigrationStep.StartApp());
  }

  /** In Start since {@code ago} before now, after one round whose snapshot has guid g10. */
  private static MigrationStatus startingSince(Duration ago) {
    TransferRound r = round(0, 900 * MIB);
    return MigrationStatus.EMPTY.withPhase(MigrationPhase.Start, "", NOW.minus(ago)).started(T0).quiesced(T0)
        .withRound(r).withTransfer(Transfer.request(0, r.snapshot(), true, "t", T0).succeeded(r.bytes(), r.guid(), "", T0));
  }

  /** After Switch: the source's copy read-only and unchanged since the last round (g10). */
  private static final DatasetCopy SOURCE_AS_SENT = new DatasetCopy(List.of(new Snapshot("snap0", "g10", T0)),
      100 * MIB, 900 * MIB, false, true, T0);

  @Test
  void aTargetThatWentAwayBeforeTheAppStartedThereGivesTheDataBackToTheSource() {
    Dataset switched = dataset("node2", "todos-db-1", Map.of("node1", SOURCE_AS_SENT, "node2", copy(false, "g10")));
    List<Node> sourceOnly = List.of(node("node1", 1L << 40));

    assertThat(plan(migration(startingSince(Duration.ofSeconds(1))), switched, sourceOnly, Optional.of(app("node1", 0, false, false))))
        .isEqualTo(new MigrationStep.SwitchBack("node node2 (the target) went away before the app started there"));

    // Once the app was asked to start on the target it may have acknowledged writes there: forward only.
    assertThat(plan(migration(startingSince(Duration.ofSeconds(1))), switched, sourceOnly, Optional.of(app("node2", 1, false, false))))
        .isInstanceOf(MigrationStep.Wait.class);

    // Back on the source, the migration ends RolledBack (and so releases the lock).
    Dataset back = dataset("node1", "todos-db-1", Map.of("node1", SOURCE_AS_SENT));
    assertThat(plan(migration(startingSince(Duration.ofSeconds(2))), back, sourceOnly, Optional.empty()))
        .isInstanceOfSatisfying(MigrationStep.Finish.class, f -> assertThat(f.phase()).isEqualTo(MigrationPhase.RolledBack));
  }

  @Test
  void aTargetThatDoesNotMountItsCopyWithinTheDeadlineGivesTheDataBack() {
    Dataset switched = dataset("node2", "todos-db-1", Map.of("node1", SOURCE_AS_SENT, "node2", copy(false, "g10")));
    Duration late = MigrationPlanner.START_DEADLINE.plusSeconds(1);

    assertThat(plan(migration(startingSince(Duration.ofSeconds(5))), switched, BOTH, Optional.empty()))
        .isInstanceOf(MigrationStep.Wait.class);
    assertThat(plan(migration(startingSince(late)), switched, BOTH, Optional.empty()))
        .isEqualTo(new MigrationStep.SwitchBack("node node2 did not mount its copy writable within "
            + MigrationPlanner.START_DEADLINE.toSeconds() + "s"));
  }

  @Test
  void theDataStaysWithTheTargetWhenTheSourcesCopyIsNotKnownToBeIdentical() {
    Duration late = MigrationPlanner.START_DEADLINE.plusSeconds(1);
    DatasetCopy newer = new DatasetCopy(List.of(new Snapshot("snap0", "g10", T0), new Snapshot("later", "g99", T0)),
        100 * MIB, 900 * MIB, false, true, T0);
    DatasetCopy writable = new DatasetCopy(List.of(new Snapshot("snap0", "g10", T0)), 100 * MIB, 900 * MIB, true, false, T0);
    for (DatasetCopy source : List.of(newer, writable)) {
      Dataset switched = dataset("node2", "todos-db-1", Map.of("node1", source, "node2", copy(false, "g10")));
      assertThat(plan(migration(startingSince(late)), switched, BOTH, Optional.empty()))
          .isInstanceOfSatisfying(MigrationStep.Wait.class, w -> assertThat(w.reason()).contains("stays with node2"));
    }
  }

  @Test
  void aFinishedMigrationIsDone() {
    MigrationStatus done = in(MigrationPhase.Succeeded);
    assertThat(plan(migration(done), locked("node2"))).isEqualTo(new MigrationStep.Done());
  }

  private static void assertPhase(MigrationStep step, MigrationPhase phase) {
    assertThat(step).isInstanceOfSatisfying(MigrationStep.UpdateStatus.class,
        u -> assertThat(u.status().phase()).isEqualTo(phase));
  }

  private static void assertFinished(MigrationStep step, MigrationPhase phase, String message) {
    assertThat(step).isInstanceOfSatisfying(MigrationStep.Finish.class, f -> {
      assertThat(f.phase()).isEqualTo(phase);
      assertThat(f.status().message()).isEqualTo(message);
    });
  }
}
