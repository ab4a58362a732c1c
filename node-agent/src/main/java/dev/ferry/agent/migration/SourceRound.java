package dev.ferry.agent.migration;

import dev.ferry.agent.dataset.MountUsers;
import dev.ferry.agent.snapshots.SnapshotHolds;
import dev.ferry.agent.transfer.SnapshotList;
import dev.ferry.agent.transfer.TransferClient;
import dev.ferry.agent.transfer.TransferRefusedException;
import dev.ferry.agent.transfer.TransferRequest;
import dev.ferry.agent.zfs.CopyState;
import dev.ferry.agent.zfs.DatasetMarkers;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.DatasetState;
import dev.ferry.agent.zfs.ResumeToken;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsException;
import dev.ferry.api.events.EventRecorder;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.ObjectReference;
import dev.ferry.api.model.Snapshot;
import dev.ferry.api.model.Transfer;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.api.transfer.TicketRejectedException;
import dev.ferry.api.transfer.TransferTicket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does one requested round on the source node, as docs/migration-protocol.md says: takes it
 * ({@code Running}), fences the dataset if asked, takes the round's snapshot unless it exists,
 * asks the target for its snapshots, plans the stream ({@link RoundPlan}) and sends it with the
 * controller's ticket, reporting progress about once a second, then {@code Succeeded} with the
 * snapshot's guid, the base guid and the bytes, or {@code Failed} with the reason.
 *
 * <p>Every step can be repeated: a retry reuses the snapshot, and a round whose stream already
 * arrived succeeds without sending it again. When the agent is stopping, the outcome is not
 * written: the round stays {@code Running} and the next agent does it again.
 */
final class SourceRound {

  private static final Logger LOG = LoggerFactory.getLogger(SourceRound.class);

  /** Who, where and what a round sends, once the ticket and the target are known. */
  private record Target(TransferTicket ticket, DatasetName dataset, String host, int port) {}

  /** A round's result: bytes streamed, the snapshot's guid, the guid it was sent from, the stream's average rate. */
  private record Outcome(long bytes, String guid, String baseGuid, long bytesPerSecond) {}

  private final Vertx vertx;
  private final EtcdStore store;
  private final ZfsDriver zfs;
  private final TransferClient client;
  private final ClusterKey key;
  private final String node;
  private final TransferStatusWriter writer;
  private final Clock clock;
  private final BooleanSupplier stopping;
  private final Consumer<String> datasetChanged;
  private final SnapshotHolds holds;
  private final DatasetMarkers markers;
  private final EventRecorder events;

  SourceRound(Vertx vertx, EtcdStore store, ZfsDriver zfs, TransferClient client, ClusterKey key, String node,
      Clock clock, BooleanSupplier stopping, Consumer<String> datasetChanged, EventRecorder events) {
    this.vertx = vertx;
    this.store = store;
    this.zfs = zfs;
    this.client = client;
    this.key = key;
    this.node = node;
    this.writer = new TransferStatusWriter(store);
    this.clock = clock;
    this.stopping = stopping;
    this.datasetChanged = datasetChanged;
    this.holds = new SnapshotHolds(zfs);
    this.markers = new DatasetMarkers(zfs);
    this.events = events;
  }

  /** Does the round {@code asked} of {@code migration}; completes once its outcome is written. */
  Future<Void> run(Migration migration, Transfer asked) {
    String name = migration.name();
    return writer.write(name, asked, t -> t.running(0, 0, clock.instant())).compose(taken -> {
      if (!taken) {
        return Future.succeededFuture();
      }
      LOG.info("migration {}: round {} ({}) of {} to {}{}", name, asked.round(), asked.snapshot(),
          migration.spec().dataset(), migration.spec().to(), asked.fence() ? ", fenced" : "");
      ProgressWrites progress = new ProgressWrites(writer, name, asked, clock);
      return send(migration, asked, progress)
          .transform(ar -> {
            datasetChanged.accept(migration.spec().dataset());
            if (stopping.getAsBoolean()) {
              return Future.succeededFuture();
            }
            return progress.finish(() -> writer.write(name, asked, t -> ar.succeeded()
                ? t.succeeded(ar.result().bytes(), ar.result().guid(), ar.result().baseGuid(), ar.result().bytesPerSecond(),
                    clock.instant())
                : t.failed(message(ar.cause()), clock.instant())))
                .onSuccess(written -> recordFailure(migration, asked, written, ar.cause()))
                .onSuccess(written -> LOG.info("migration {}: round {} {}", name, asked.round(),
                    ar.succeeded() ? "succeeded, " + ar.result().bytes() + " bytes" : "failed: " + message(ar.cause())))
                .mapEmpty();
          });
    });
  }

  private Future<Outcome> send(Migration migration, Transfer asked, ProgressWrites progress) {
    return target(migration, asked).compose(target -> {
      // What the target holds does not depend on the source's fence and snapshot: ask while they are made.
      // join, not all: a failed question must not end the round while the fence and snapshot are still under way.
      Future<Optional<SnapshotList>> targetCopy = client.copy(target.host(), target.port(), target.ticket().toNode(), target.dataset());
      Future<List<Snapshot>> sourceSnapshots = vertx.executeBlocking(() -> prepare(migration, target.dataset(), asked), false);
      return Future.join(sourceSnapshots, targetCopy).map(both -> RoundPlan.decide(sourceSnapshots.result(),
          asked.snapshot(), planned(targetCopy.result()), target.ticket().baseGuid())
      ).compose(plan -> {
        if (plan instanceof RoundPlan.Refuse refuse) {
          return Future.failedFuture(new RoundFailed(refuse.reason()));
        }
        if (plan instanceof RoundPlan.Send send && asked.fence()) {
          // The app is down: the holds go alongside the stream, not before it. The stream needs
          // none of them: its base is the last round's snapshot, held since that round (or, in a
          // single fenced round, the newest snapshot both copies share, which pruning keeps), and
          // pruning never takes a snapshot newer than that. The round succeeds only once both did.
          Future<RoundPlan> held = vertx.executeBlocking(() -> hold(target.dataset(), plan), false);
          Future<Outcome> sent = stream(migration, target, asked, send, targetCopy.result(), progress);
          return Future.join(held, sent).transform(ar -> sent.failed() ? sent : held.failed()
              ? Future.failedFuture(held.cause()) : sent);
        }
        return vertx.executeBlocking(() -> hold(target.dataset(), plan), false).compose(ignored ->
            plan instanceof RoundPlan.AlreadyThere there ? alreadyThere(target, asked, there.snapshot())
                : stream(migration, target, asked, (RoundPlan.Send) plan, targetCopy.result(), progress));
      });
    });
  }

  /** Streams {@code send} to the target, resuming its interrupted receive where that is possible. */
  private Future<Outcome> stream(Migration migration, Target target, Transfer asked, RoundPlan.Send send,
      Optional<SnapshotList> targetCopy, ProgressWrites progress) {
    Optional<String> partial = targetCopy.map(SnapshotList::resumeToken).filter(t -> !t.isEmpty());
    // Without a partial receive on the target (always on zfs-fuse) there is nothing to read: no worker hop.
    Future<Optional<String>> resuming = partial.isEmpty() ? Future.succeededFuture(Optional.empty())
        : vertx.executeBlocking(() -> resume(migration, target.dataset(), send, partial.get()), false);
    return resuming.compose(resume -> {
      TransferRequest request = new TransferRequest(target.host(), target.port(), asked.ticket(), target.dataset(),
          send.base().map(Snapshot::name), send.snapshot().name(), asked.fence(), resume);
      long started = System.nanoTime();
      return client.send(request, send.snapshot(), progress::progress).map(result -> new Outcome(result.bytes(), result.guid(),
          send.base().map(Snapshot::guid).orElse(""), averageRate(result.bytes(), System.nanoTime() - started)));
    });
  }

  /**
   * The target as the round is planned against: a copy that is only a partially received new
   * dataset (a resume token, no snapshot) is no copy yet, so the round is the full stream, which
   * resumes or starts over.
   */
  private static Optional<List<Snapshot>> planned(Optional<SnapshotList> copy) {
    return copy.filter(c -> !(c.snapshots().isEmpty() && !c.resumeToken().isEmpty())).map(SnapshotList::snapshots);
  }

  /**
   * The target's token {@code partial} when the stream resumes its interrupted receive ({@link
   * ResumePlan}); empty when the whole stream goes (the target then discards its partial receive).
   * Blocking: reading the token is a zfs command.
   */
  private Optional<String> resume(Migration migration, DatasetName dataset, RoundPlan.Send send, String partial) {
    boolean resumable = zfs.features().resumableReceive();
    Optional<ResumeToken> contents = resumable ? zfs.describeResumeToken(partial) : Optional.empty();
    ResumePlan plan = ResumePlan.decide(resumable, Optional.of(partial), contents,
        zfs.layout().snapshot(dataset, send.snapshot().name()), send.snapshot(), send.base());
    if (plan instanceof ResumePlan.Refuse refuse) {
      throw new RoundFailed(refuse.reason());
    }
    if (plan instanceof ResumePlan.StartOver over) {
      LOG.info("migration {}: the whole stream of {} goes: {}", migration.name(), send.snapshot().name(), over.why());
      return Optional.empty();
    }
    LOG.info("migration {}: resuming the target's interrupted receive of {} after {} bytes", migration.name(),
        send.snapshot().name(), contents.map(ResumeToken::bytes).orElse(0L));
    return Optional.of(((ResumePlan.Resume) plan).token());
  }

  /** Bytes per second over the whole stream, what the controller predicts the final round's length from. */
  static long averageRate(long bytes, long nanos) {
    return nanos <= 0 ? 0 : (long) (bytes * 1e9 / nanos);
  }

  /**
   * A round the target lists as done (an earlier attempt got through but was not reported) is
   * done only when the target signs a receipt for the snapshot with the guid the source holds: a
   * listed guid alone could have been planted.
   */
  private Future<Outcome> alreadyThere(Target target, Transfer asked, Snapshot snapshot) {
    return client.receipt(target.host(), target.port(), asked.ticket()).compose(received ->
        received.equals(Optional.of(snapshot.guid()))
            ? Future.succeededFuture(new Outcome(0, snapshot.guid(), target.ticket().baseGuid(), 0))
            : Future.failedFuture(new RoundFailed("the target lists snapshot " + snapshot.name() + " (guid "
                + snapshot.guid() + ") but its receipt names "
                + received.map(g -> "guid " + g).orElse("no such snapshot") + ": the round is not known to have arrived")));
  }

  /** Reads the ticket (signed by the controller for this very round) and the target node's address. */
  private Future<Target> target(Migration migration, Transfer asked) {
    TransferTicket ticket;
    try {
      ticket = TransferTicket.decode(asked.ticket(), key);
    } catch (TicketRejectedException e) {
      return Future.failedFuture(new RoundFailed(e.getMessage()));
    }
    String to = migration.spec().to();
    Optional<String> wrong = ticket.migrationUid().equals(migration.metadata().uid()) ? Optional.empty()
        : Optional.of("migration uid " + ticket.migrationUid());
    wrong = wrong.or(() -> ticket.round() == asked.round() ? Optional.empty() : Optional.of("round " + ticket.round()));
    wrong = wrong.or(() -> ticket.dataset().equals(migration.spec().dataset()) ? Optional.empty()
        : Optional.of("dataset " + ticket.dataset()));
    wrong = wrong.or(() -> ticket.fromNode().equals(node) ? Optional.empty() : Optional.of("from node " + ticket.fromNode()));
    wrong = wrong.or(() -> ticket.toNode().equals(to) ? Optional.empty() : Optional.of("to node " + ticket.toNode()));
    wrong = wrong.or(() -> ticket.snapshot().equals(asked.snapshot()) ? Optional.empty()
        : Optional.of("snapshot " + ticket.snapshot()));
    if (wrong.isPresent()) {
      return Future.failedFuture(new RoundFailed("the round's ticket is for " + wrong.get() + ", not for this round"));
    }
    return Future.fromCompletionStage(store.get(Kind.NODE, to)).compose(found -> found.isEmpty()
        ? Future.failedFuture(new RoundFailed("the target node " + to + " is not registered (its agent is down)"))
        : Future.succeededFuture(target(ticket, found.get())));
  }

  private static Target target(TransferTicket ticket, Node to) {
    return new Target(ticket, DatasetName.of(ticket.dataset()), to.spec().address(), to.spec().transferPort());
  }

  /**
   * Writes the round marker, fences if asked, and takes the round's snapshot unless an earlier
   * attempt did. The marker ({@code .ferry/snapshot}, naming this snapshot) is written while the
   * copy is still writable, so the snapshot carries it and the copy that becomes the primary can
   * tell a stale view of its files by it. The copy's state is read once: nothing but this round
   * changes it meanwhile, and every zfs command costs a process and a trip to the daemon while the
   * app is down. Blocking.
   *
   * @return the source's snapshots, oldest first, the round's among them
   */
  private List<Snapshot> prepare(Migration migration, DatasetName dataset, Transfer asked) {
    CopyState copy = zfs.stateAndSnapshots(dataset).orElseThrow(() -> new ZfsException(ZfsException.Reason.NOT_FOUND,
        "dataset " + dataset + " does not exist on " + node));
    List<Snapshot> snapshots = new ArrayList<>(copy.snapshots());
    boolean taken = snapshots.stream().anyMatch(s -> s.name().equals(asked.snapshot()));
    DatasetState state = copy.state();
    if (!taken && !markers.roundSnapshot(dataset).equals(Optional.of(asked.snapshot()))) {
      if (state.readonly()) {
        throw new RoundFailed("the copy of " + dataset + " on " + node + " is read-only, so its round marker "
            + "(.ferry/snapshot) cannot name snapshot " + asked.snapshot() + " before it is taken");
      }
      markers.writeRoundSnapshot(dataset, asked.snapshot(), state);
    }
    if (asked.fence()) {
      // Set even when it reads read-only: fencing must not rest on what a property says.
      zfs.setReadonly(dataset, true);
      if (!state.readonly()) {
        events.normal(ObjectReference.to(migration), "Fenced", "made the copy of " + dataset + " on " + node
            + " read-only for the final round " + asked.round());
      }
    }
    if (asked.fence() && !taken) {
      refuseWhileInUse(dataset);
    }
    if (!taken) {
      snapshots.add(zfs.snapshot(dataset, asked.snapshot()));
    }
    return snapshots;
  }

  /**
   * The fence is only real once no process holds the copy: zfs-fuse lets a file opened before
   * {@code readonly=on} be written and fsynced after it, so a write would land after the final
   * snapshot and be lost. The scheduler saying the task is gone is not enough; /proc decides.
   * The round fails naming the processes, and the controller retries it or rolls back.
   */
  private void refuseWhileInUse(DatasetName dataset) {
    List<MountUsers.User> users = MountUsers.of(zfs.layout().mountpoint(dataset));
    if (!users.isEmpty()) {
      throw new RoundFailed("the copy of " + dataset + " on " + node + " is still in use, so its final snapshot "
          + "would miss their writes: " + MountUsers.describe(users));
    }
  }

  /**
   * Holds the snapshots the round sends from and to (releasing the previous round's), so that
   * pruning keeps them until the migration ends. Blocking.
   */
  private RoundPlan hold(DatasetName dataset, RoundPlan plan) {
    if (plan instanceof RoundPlan.Send send) {
      List<String> names = new ArrayList<>();
      send.base().ifPresent(b -> names.add(b.name()));
      names.add(send.snapshot().name());
      holds.holdOnly(dataset, names);
    } else if (plan instanceof RoundPlan.AlreadyThere there) {
      holds.holdOnly(dataset, List.of(there.snapshot().name()));
    }
    return plan;
  }

  /** A person wants to know why a round failed; a success is in the Migration's status already. */
  private void recordFailure(Migration migration, Transfer asked, boolean written, Throwable cause) {
    if (written && cause != null) {
      events.warning(ObjectReference.to(migration), "RoundFailed", "round " + asked.round() + " ("
          + asked.snapshot() + ") from " + node + " to " + migration.spec().to() + " failed: " + message(cause));
    }
  }

  private static String message(Throwable e) {
    if (e instanceof TransferRefusedException refused) {
      return "the target refused the stream (" + refused.reason() + "): " + refused.getMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
