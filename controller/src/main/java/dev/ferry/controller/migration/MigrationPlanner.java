package dev.ferry.controller.migration;

import dev.ferry.api.model.Conditions;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationStatus;
import dev.ferry.api.model.MigrationStrategy;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.Snapshot;
import dev.ferry.api.model.Transfer;
import dev.ferry.api.model.TransferRound;
import dev.ferry.api.model.TransferState;
import dev.ferry.controller.placement.Placement;
import dev.ferry.controller.queue.Backoff;
import dev.ferry.controller.statefulapp.MarathonView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The migration state machine of docs/migration-protocol.md, as a pure function from what the reconciler observed
 * to its next step (see docs/migration-protocol.md for who writes what). Before
 * {@link MigrationPhase#Switch} any failure rolls back: the lock is released and the app runs on
 * the source again. From Switch on, the data is the target's and the migration only goes forward.
 */
public final class MigrationPlanner {

  /**
   * How long a failed round waits before it is asked for again: 1 s after the first failure,
   * doubling to 30 s. Retries go on until the migration's deadline ({@code spec.deadlineSeconds}).
   */
  public static final Backoff ROUND_RETRY = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
  /**
   * How long the fenced final round may keep failing, counted from when the app was stopped,
   * before the move rolls back and the app runs on the source again: the app is down meanwhile,
   * so a path that stays cut must not keep it down for the whole {@code spec.deadlineSeconds}.
   */
  public static final Duration FENCED_ROUND_DEADLINE = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofSeconds(1);
  /** How often a migration queued behind others of its node looks for a free slot. */
  static final Duration QUEUE_RECHECK = Duration.ofSeconds(2);
  /**
   * How long after Start the target may take to mount its copy writable before the data goes
   * back to the source (see {@link #switchBack}). A healthy agent takes well under a second.
   */
  public static final Duration START_DEADLINE = Duration.ofSeconds(45);

  private MigrationPlanner() {}

  public static MigrationStep plan(MigrationState state) {
    Migration m = state.migration();
    MigrationStatus status = m.status();
    if (status.phase().isFinished()) {
      return new MigrationStep.Done();
    }
    if (state.dataset().isEmpty()) {
      return finish(state, MigrationPhase.Failed, "dataset " + m.spec().dataset() + " does not exist");
    }
    Dataset dataset = state.dataset().get();
    boolean locked = m.name().equals(dataset.spec().migration());
    if (status.phase() != MigrationPhase.Pending && !locked) {
      // Someone else changed spec.migration: this migration no longer owns the data and must not
      // touch it, its app or its lock again. Its own writes cannot have done this: its end and
      // the lock's release are one transaction.
      return finish(state, MigrationPhase.Failed, "dataset " + dataset.name() + " is no longer locked by this migration"
          + " (spec.migration is '" + dataset.spec().migration() + "'): stopped in " + status.phase());
    }
    if (status.phase().compareTo(MigrationPhase.Switch) < 0) {
      Optional<String> lost = lostNode(state);
      if (lost.isPresent() && status.phase() != MigrationPhase.Pending) {
        return finish(state, MigrationPhase.RolledBack, lost.get());
      }
    }
    return switch (status.phase()) {
      case Pending -> pending(state, dataset, locked);
      case Planned -> new MigrationStep.UpdateStatus(status.started(state.now()).withPhase(
          m.spec().strategy() == MigrationStrategy.StopAndCopy ? MigrationPhase.Quiesce : MigrationPhase.PreCopy,
          m.spec().strategy() == MigrationStrategy.StopAndCopy ? "stopping the app to copy the data"
              : "copying the data while the app runs", state.now()));
      case PreCopy -> preCopy(state, dataset);
      case Quiesce -> quiesce(state);
      case FinalSync -> finalSync(state);
      case Switch -> dataset.spec().primary().equals(m.spec().to())
          ? new MigrationStep.UpdateStatus(status.withPhase(MigrationPhase.Start, "starting the app on " + m.spec().to(), state.now()))
          : new MigrationStep.SwitchPrimary();
      case Start -> start(state, dataset);
      default -> new MigrationStep.Done();
    };
  }

  private static MigrationStep pending(MigrationState state, Dataset dataset, boolean locked) {
    Migration m = state.migration();
    String to = m.spec().to();
    if (locked) {
      MigrationStatus planned = m.status().withPhase(MigrationPhase.Planned,
          "moving " + dataset.name() + " from " + m.spec().from() + " to " + to, state.now());
      boolean wasQueued = Conditions.find(m.status().conditions(), NodeSlots.QUEUED) != null;
      return new MigrationStep.UpdateStatus(wasQueued ? planned.withConditions(List.of(Conditions.of(NodeSlots.QUEUED,
          false, "Started", "a slot freed: started", m.metadata().generation())), state.now()) : planned);
    }
    if (!dataset.spec().migration().isEmpty()) {
      return finish(state, MigrationPhase.Failed, "dataset " + dataset.name() + " is being moved by migration "
          + dataset.spec().migration());
    }
    if (!dataset.spec().primary().equals(m.spec().from())) {
      return finish(state, MigrationPhase.Failed, "dataset " + dataset.name() + " is on " + dataset.spec().primary()
          + ", not on " + m.spec().from());
    }
    Optional<Node> target = state.node(to);
    if (target.isEmpty()) {
      return finish(state, MigrationPhase.Failed, "node " + to + " is not registered");
    }
    if (state.node(m.spec().from()).isEmpty()) {
      return finish(state, MigrationPhase.Failed, "node " + m.spec().from() + ", which holds the data, is not registered");
    }
    if (state.app().isPresent() && !Placement.satisfies(state.app().get(), target.get())) {
      // The app would be moved straight back: its placement is what decides where it runs.
      return finish(state, MigrationPhase.Failed, "node " + to + " does not satisfy the placement "
          + state.app().get().spec().placement().constraints() + ": change spec.placement to move the app there");
    }
    long needed = dataset.spec().size().bytes();
    if (!dataset.status().copies().containsKey(to) && target.get().status().poolFreeBytes() < needed) {
      return finish(state, MigrationPhase.Failed, "node " + to + " has " + target.get().status().poolFreeBytes()
          + " bytes free, the dataset needs " + needed);
    }
    Optional<String> busy = NodeSlots.busy(m, state.running(), state.maxPerNode());
    if (busy.isPresent()) {
      if (m.status().message().equals(busy.get())) {
        return new MigrationStep.Wait(busy.get(), QUEUE_RECHECK);
      }
      return new MigrationStep.Queue(m.status().withPhase(MigrationPhase.Pending, busy.get(), state.now())
          .withConditions(List.of(Conditions.of(NodeSlots.QUEUED, true, "NodeBusy", busy.get(),
              m.metadata().generation())), state.now()), busy.get());
    }
    return new MigrationStep.LockDataset();
  }

  private static MigrationStep preCopy(MigrationState state, Dataset dataset) {
    Migration m = state.migration();
    Optional<Transfer> transfer = m.status().currentTransfer();
    if (transfer.isEmpty()) {
      return request(m, 0, 1, false, commonBase(dataset, m.spec().from(), m.spec().to()));
    }
    return afterTransfer(state, transfer.get(), () -> {
      if (enoughRounds(m)) {
        return new MigrationStep.UpdateStatus(m.status().withPhase(MigrationPhase.Quiesce,
            "stopping the app for the last " + m.status().lastRound().map(TransferRound::bytes).orElse(0L) + " bytes",
            state.now()));
      }
      TransferRound last = m.status().lastRound().orElseThrow();
      return request(m, last.number() + 1, 1, false, last.guid());
    });
  }

  private static MigrationStep quiesce(MigrationState state) {
    Migration m = state.migration();
    if (m.status().quiesceTime() == null) {
      return new MigrationStep.UpdateStatus(m.status().quiesced(state.now()));
    }
    Optional<MarathonView> app = state.marathon();
    if (app.isPresent() && app.get().app().path("instances").asInt(0) != 0) {
      return new MigrationStep.StopApp();
    }
    if (app.isPresent() && !app.get().tasks().isEmpty()) {
      return new MigrationStep.Wait("waiting for the app's task to stop", POLL);
    }
    return new MigrationStep.UpdateStatus(m.status().withPhase(MigrationPhase.FinalSync,
        "sending the last changes behind a read-only fence", state.now()));
  }

  private static MigrationStep finalSync(MigrationState state) {
    Migration m = state.migration();
    Transfer transfer = m.status().currentTransfer().orElse(null);
    if (transfer == null || !transfer.fence()) {
      int round = m.status().lastRound().map(r -> r.number() + 1).orElse(0);
      String base = m.status().lastRound().map(TransferRound::guid)
          .orElseGet(() -> commonBase(state.dataset().orElseThrow(), m.spec().from(), m.spec().to()));
      return request(m, round, 1, true, base);
    }
    return afterTransfer(state, transfer, () -> new MigrationStep.UpdateStatus(m.status().withPhase(MigrationPhase.Switch,
        "moving the primary copy to " + m.spec().to(), state.now())));
  }

  private static MigrationStep start(MigrationState state, Dataset dataset) {
    Migration m = state.migration();
    if (dataset.spec().primary().equals(m.spec().from())) {
      return finish(state, MigrationPhase.RolledBack, "the app could not start on " + m.spec().to()
          + " before it had written anything there; the data is back on " + m.spec().from()
          + ", as the last round left it");
    }
    Optional<MarathonView> app = state.marathon();
    boolean askedToStart = app.isPresent() && pinnedTo(app.get(), hostnameOf(state, m.spec().to()))
        && app.get().app().path("instances").asInt(0) > 0;
    DatasetCopy copy = dataset.status().copies().get(m.spec().to());
    boolean targetReady = copy != null && copy.mounted() && !copy.readonly();
    if (!askedToStart) {
      Optional<String> stuck = targetStuck(state, targetReady);
      if (stuck.isPresent()) {
        return switchBack(state, dataset, stuck.get());
      }
    }
    if (!targetReady) {
      return new MigrationStep.Wait("waiting for " + m.spec().to() + " to mount its copy writable", POLL);
    }
    if (dataset.status().identity().isEmpty()) {
      // The task guard would refuse every start: the app must know what the marker says.
      return new MigrationStep.Wait("waiting for dataset " + dataset.name() + "'s identity (status.identity is empty)", POLL);
    }
    int wanted = state.app().map(a -> a.spec().app().path("instances").asInt(1)).orElse(1);
    if (app.isEmpty() || !pinnedTo(app.get(), hostnameOf(state, m.spec().to()))
        || app.get().app().path("instances").asInt(0) != wanted) {
      return new MigrationStep.StartApp();
    }
    if (wanted > 0 && app.get().healthyTasks() == 0) {
      return new MigrationStep.Wait("waiting for the app to be healthy on " + m.spec().to(), POLL);
    }
    return finish(state, MigrationPhase.Succeeded, "moved to " + m.spec().to());
  }

  /**
   * Why the target cannot take the app, once that is certain: it went away, or it has not mounted
   * its copy writable within {@link #START_DEADLINE} of Start. Asked only while the app has not
   * been asked to start there: until then nothing can have been written on the target.
   */
  private static Optional<String> targetStuck(MigrationState state, boolean targetReady) {
    Migration m = state.migration();
    if (state.node(m.spec().to()).isEmpty()) {
      return Optional.of("node " + m.spec().to() + " (the target) went away before the app started there");
    }
    Instant since = m.status().entered(MigrationPhase.Start).orElse(state.now());
    if (!targetReady && Duration.between(since, state.now()).compareTo(START_DEADLINE) >= 0) {
      return Optional.of("node " + m.spec().to() + " did not mount its copy writable within "
          + START_DEADLINE.toSeconds() + "s");
    }
    return Optional.empty();
  }

  /**
   * Gives the data back to the source when the target cannot take the app: only while the
   * source's copy is still exactly what was sent last (read-only since the fence, its newest
   * snapshot the last round's), so nothing acknowledged is lost. Otherwise it waits: the data
   * then exists only where it is.
   */
  private static MigrationStep switchBack(MigrationState state, Dataset dataset, String why) {
    Migration m = state.migration();
    DatasetCopy source = dataset.status().copies().get(m.spec().from());
    String last = m.status().lastRound().map(TransferRound::guid).orElse("");
    boolean identical = source != null && source.readonly() && !source.snapshots().isEmpty()
        && source.snapshots().get(source.snapshots().size() - 1).guid().equals(last)
        && state.node(m.spec().from()).isPresent();
    if (!identical) {
      return new MigrationStep.Wait(why + "; " + m.spec().from() + "'s copy is not known to be identical to the"
          + " last round, so the data stays with " + m.spec().to(), POLL);
    }
    return new MigrationStep.SwitchBack(why);
  }

  /** What to do about the current transfer; {@code next} once it succeeded and is recorded. */
  private static MigrationStep afterTransfer(MigrationState state, Transfer t, Supplier<MigrationStep> next) {
    Migration m = state.migration();
    if (t.state() == TransferState.Requested || t.state() == TransferState.Running) {
      return new MigrationStep.Wait("round " + t.round() + " is " + t.state().name().toLowerCase() + " ("
          + t.bytes() + " bytes so far)", POLL);
    }
    if (t.state() == TransferState.Failed) {
      return retry(state, t);
    }
    boolean recorded = m.status().lastRound().map(r -> r.number() == t.round()).orElse(false);
    if (!recorded) {
      return new MigrationStep.UpdateStatus(m.status().withRound(
          new TransferRound(t.round(), t.snapshot(), t.guid(), t.baseGuid(), t.bytes(), streamTime(t))));
    }
    return next.get();
  }

  /**
   * A failed round is asked for again after {@link #ROUND_RETRY}'s delay for its attempt, counted
   * from the failure's report, as long as the migration is within its deadline; after it, the
   * migration rolls back with the failure's reason. Only called before Switch: rounds happen there.
   */
  private static MigrationStep retry(MigrationState state, Transfer t) {
    Migration m = state.migration();
    Instant started = Optional.ofNullable(m.status().startTime()).orElse(state.now());
    String failures = "round " + t.round() + " failed " + t.attempt() + (t.attempt() == 1 ? " time" : " times")
        + ", the last time: " + t.message();
    if (!state.now().isBefore(started.plus(m.spec().deadline()))) {
      return finish(state, MigrationPhase.RolledBack, "gave up at the deadline (spec.deadlineSeconds: "
          + m.spec().deadlineSeconds() + "): " + failures);
    }
    Optional<Instant> stopped = Optional.ofNullable(m.status().quiesceTime());
    if (t.fence() && stopped.isPresent() && !state.now().isBefore(stopped.get().plus(FENCED_ROUND_DEADLINE))) {
      return finish(state, MigrationPhase.RolledBack, "gave up on the final round after "
          + FENCED_ROUND_DEADLINE.toSeconds() + " s with the app stopped: " + failures);
    }
    Instant due = Optional.ofNullable(t.updated()).orElse(state.now()).plus(ROUND_RETRY.delay(t.attempt()));
    if (state.now().isBefore(due)) {
      return new MigrationStep.Wait("round " + t.round() + " failed (attempt " + t.attempt() + "): " + t.message()
          + "; asking again in " + Duration.between(state.now(), due).toMillis() + " ms", Duration.between(state.now(), due));
    }
    // The request does not carry its base: a retry takes it as the first attempt did, from the
    // last round or, for the first round, from a snapshot the target already holds. A full
    // stream into a target with a copy is refused by the target, so the move would roll back.
    String base = !t.baseGuid().isEmpty() ? t.baseGuid() : m.status().lastRound().map(TransferRound::guid)
        .orElseGet(() -> state.dataset().map(d -> commonBase(d, m.spec().from(), m.spec().to())).orElse(""));
    return request(m, t.round(), t.attempt() + 1, t.fence(), base);
  }

  /** Whether pre-copy has done enough: see {@link PreCopyEnd}. */
  static boolean enoughRounds(Migration m) {
    return PreCopyEnd.reached(m.status().rounds(), m.spec().maxFinalDelta().bytes(), m.spec().maxRounds());
  }

  /** How long the round's stream took, from the average rate its agent reported; null when it reported none. */
  private static Duration streamTime(Transfer t) {
    return t.bytesPerSecond() > 0 && t.bytes() > 0
        ? Duration.ofNanos((long) (t.bytes() * 1e9 / t.bytesPerSecond())) : null;
  }

  private static MigrationStep request(Migration m, int round, int attempt, boolean fence, String base) {
    return new MigrationStep.RequestTransfer(round, attempt, snapshotName(m, round), fence, base);
  }

  /** Snapshot names: short, unique per migration and round, valid ZFS and DNS-1123 names. */
  static String snapshotName(Migration m, int round) {
    String id = m.metadata().uid().replace("-", "");
    String tag = id.isEmpty() ? Integer.toHexString(m.name().hashCode()) : id.substring(0, Math.min(12, id.length()));
    return "ferry-" + tag + "-" + round;
  }

  /** The newest snapshot both copies hold, by guid: a move back to an old copy sends only the difference. */
  static String commonBase(Dataset dataset, String from, String to) {
    DatasetCopy source = dataset.status().copies().get(from);
    DatasetCopy target = dataset.status().copies().get(to);
    if (source == null || target == null) {
      return "";
    }
    Set<String> held = target.snapshots().stream().map(Snapshot::guid).collect(Collectors.toSet());
    List<Snapshot> ours = source.snapshots();
    for (int i = ours.size() - 1; i >= 0; i--) {
      if (held.contains(ours.get(i).guid())) {
        return ours.get(i).guid();
      }
    }
    return "";
  }

  private static Optional<String> lostNode(MigrationState state) {
    Migration m = state.migration();
    if (state.node(m.spec().to()).isEmpty()) {
      return Optional.of("node " + m.spec().to() + " (the target) went away during " + m.status().phase());
    }
    if (state.node(m.spec().from()).isEmpty()) {
      return Optional.of("node " + m.spec().from() + " (the source) went away during " + m.status().phase());
    }
    return Optional.empty();
  }

  private static MigrationStep finish(MigrationState state, MigrationPhase end, String why) {
    MigrationStatus s = state.migration().status();
    Duration downtime = end == MigrationPhase.Succeeded && s.quiesceTime() != null
        ? Duration.between(s.quiesceTime(), state.now()) : null;
    return new MigrationStep.Finish(end, s.finished(end, state.now(), downtime, why));
  }

  private static String hostnameOf(MigrationState state, String node) {
    return state.node(node).map(n -> n.spec().hostnameOr(n.name())).orElse(node);
  }

  private static boolean pinnedTo(MarathonView app, String hostname) {
    for (var c : app.app().path("constraints")) {
      if (c.path(0).asText().equals("hostname") && c.path(1).asText().equals("CLUSTER")) {
        return c.path(2).asText().equals(hostname);
      }
    }
    return false;
  }
}
