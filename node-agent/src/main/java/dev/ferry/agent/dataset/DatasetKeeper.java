package dev.ferry.agent.dataset;

import dev.ferry.agent.snapshots.SnapshotHolds;
import dev.ferry.agent.snapshots.SnapshotHousekeeping;
import dev.ferry.agent.watch.ClusterView;
import dev.ferry.agent.zfs.CopyState;
import dev.ferry.agent.zfs.DatasetMarkers;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.DatasetState;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsException;
import dev.ferry.api.events.EventRecorder;
import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Conditions;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.ObjectReference;
import dev.ferry.api.model.Snapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this node's copy of one dataset what its Dataset object asks ({@link CopyPlan}), then
 * reports the copy in {@code status.copies[<node>]}: mounted only when the mount shows the
 * dataset's identity marker, whatever ZFS says. The primary's agent also states the {@code
 * Available} and {@code Mounted} conditions (a lost copy, a mount refused and why), records the
 * dataset's identity when it has none yet, and tells people of a change for the worse in an event. Level-triggered and idempotent: it reads
 * the Dataset, the owning Migration and the local copy each time, whatever woke it. It also
 * tidies the copy's snapshots ({@link SnapshotHousekeeping}). The ZFS and etcd calls run on a
 * worker thread.
 */
public final class DatasetKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(DatasetKeeper.class);

  private final Vertx vertx;
  private final ZfsDriver zfs;
  private final ClusterView view;
  private final CopyReporter reporter;
  private final String node;
  private final Predicate<String> receiving;
  private final Clock clock;
  private final EventRecorder events;
  private final SnapshotHolds holds;
  private final SnapshotHousekeeping housekeeping;
  private final DatasetMarkers markers;
  private final PrimaryMount mount;

  /**
   * @param receiving whether a stream into a dataset is being received right now: its copy is the
   *     receive's until it ends, and the receiver asks for a look afterwards
   * @param events where what changed the copy is told to people (best effort, never waited for)
   */
  public DatasetKeeper(Vertx vertx, ZfsDriver zfs, ClusterView view, CopyReporter reporter, String node,
      Predicate<String> receiving, Clock clock, EventRecorder events) {
    this.vertx = vertx;
    this.zfs = zfs;
    this.view = view;
    this.reporter = reporter;
    this.node = node;
    this.receiving = receiving;
    this.clock = clock;
    this.events = events;
    this.holds = new SnapshotHolds(zfs);
    this.housekeeping = new SnapshotHousekeeping(zfs, holds, node);
    this.markers = new DatasetMarkers(zfs);
    this.mount = new PrimaryMount(zfs, markers, node);
  }

  /**
   * Looks at one dataset; the future fails when a ZFS or etcd call did (the work loop retries).
   *
   * @return whether it looked: false when a stream into the dataset was being received, and the
   *     copy was left to the receive
   */
  public Future<Boolean> reconcile(String name) {
    return vertx.executeBlocking(() -> reconcileNow(name), false);
  }

  private boolean reconcileNow(String name) {
    if (receiving.test(name)) {
      return false;
    }
    DatasetName dataset = DatasetName.of(name);
    Optional<Dataset> deleted = view.deletedDataset(name);
    Optional<Dataset> current = view.dataset(name).or(() -> deleted.isEmpty() && zfs.exists(dataset)
        // A copy here that the node's index does not give this node (yet): what its Dataset says.
        ? view.readUnindexed(name) : Optional.empty());
    Optional<Migration> owner = current.map(d -> d.spec().migration()).filter(m -> !m.isEmpty())
        .flatMap(view::migration);
    String identity = current.map(d -> d.status().identity()).orElse("");
    // Whether it exists, its state and snapshots in one command, and what its mount shows without asking ZFS again.
    Optional<CopyState> look = zfs.stateAndSnapshots(dataset);
    Optional<DatasetState> seen = look.map(CopyState::state);
    Optional<MountCheck> seenCheck = seen.map(state -> mount.check(dataset, identity, state));
    Optional<LocalCopy> local = seen.map(state -> new LocalCopy(state,
        state.mounted() && (identity.isEmpty() || seenCheck.orElseThrow().shown())));
    CopyAction action = CopyPlan.decide(node, current, deleted, owner, local);
    // Without an object only Leave is decided, so the uid-less reference is never recorded.
    ObjectReference about = current.or(() -> deleted).map(ObjectReference::to)
        .orElseGet(() -> new ObjectReference("Dataset", name, ""));
    Applied applied = apply(dataset, action, look, local, about, identity);
    if (current.isEmpty()) {
      deleted.ifPresent(d -> view.forgetDeleted(name, d));
      return true;
    }
    Dataset d = current.get();
    // With a Dataset, no action destroys the copy (Destroy is only decided for a deleted one).
    boolean exists = local.isPresent() || (action instanceof CopyAction.Create && zfs.exists(dataset));
    boolean primary = d.spec().primary().equals(node);
    String recorded = exists && primary && identity.isEmpty() ? adoptIdentity(dataset) : "";
    String expected = identity.isEmpty() ? recorded : identity;
    // What this pass already knows of the mount: a failure of its action, or what it saw, unless
    // the action changed the copy or an identity was recorded since.
    boolean sameIdentity = expected.equals(identity);
    Optional<MountCheck> known = applied.check().filter(c -> !c.shown() || sameIdentity)
        .or(() -> action instanceof CopyAction.Leave ? seenCheck.filter(c -> sameIdentity) : Optional.empty());
    MountCheck check = !exists ? null : known.orElseGet(() -> mount.check(dataset, expected));
    List<Condition> conditions = List.of();
    if (primary && action instanceof CopyAction.Lost lost) {
      String message = "dataset " + name + " has no copy on its primary node " + node + ", yet it existed ("
          + lost.why() + "): it is not re-created empty; restore the copy, or delete the Dataset to start anew";
      conditions = List.of(Conditions.of(CopyPlan.AVAILABLE, false, CopyPlan.COPY_LOST, message, d.metadata().generation()),
          Conditions.of(MountCheck.TYPE, false, CopyPlan.COPY_LOST, message, d.metadata().generation()));
      if (!hasReason(d, CopyPlan.AVAILABLE, CopyPlan.COPY_LOST)) {
        events.warning(about, CopyPlan.COPY_LOST, message);
      }
    } else if (primary && exists) {
      conditions = List.of(Conditions.of(CopyPlan.AVAILABLE, true, "CopyPresent", "the primary copy of dataset " + name
          + " is on " + node, d.metadata().generation()), check.condition(d.metadata().generation()));
      if (!check.shown() && !hasReason(d, MountCheck.TYPE, check.reason())) {
        events.warning(about, check.reason(), check.message());
      }
    }
    if (!exists) {
      reporter.report(name, new CopyReport(Optional.empty(), conditions, recorded));
      return true;
    }
    // The copy as this pass left it: what it knows, else read afresh, as the action may have changed it.
    DatasetState state = applied.state().orElseGet(() -> zfs.state(dataset));
    List<Snapshot> snapshots = applied.snapshots().orElseGet(() -> zfs.snapshots(dataset));
    reporter.report(name, new CopyReport(Optional.of(copy(state, snapshots, check.shown())), conditions, recorded));
    // Pruning comes after the report: a copy just made the primary is reported mounted and
    // writable (what the migration's Start waits for, the app down) before snapshots are destroyed.
    if (tidy(dataset, d, snapshots, about) > 0) {
      reporter.report(name, new CopyReport(Optional.of(copy(zfs.state(dataset), zfs.snapshots(dataset), check.shown())),
          conditions, recorded));
    }
    return true;
  }

  private int tidy(DatasetName dataset, Dataset d, List<Snapshot> snapshots, ObjectReference about) {
    int pruned = housekeeping.tidy(dataset, d, snapshots);
    if (pruned > 0) {
      events.normal(about, "SnapshotsPruned", "destroyed " + pruned + " snapshot(s) on " + node
          + " older than the newest one each other copy shares");
    }
    return pruned;
  }

  private static boolean hasReason(Dataset d, String type, String reason) {
    Condition c = Conditions.find(d.status().conditions(), type);
    return c != null && c.reason().equals(reason);
  }

  /**
   * The identity of a primary copy whose Dataset records none yet (one created before identities,
   * or adopted again after its Dataset was deleted and applied anew): its marker, or a new one
   * (the filesystem's guid) when it has none and can be written; "" when it is not mounted.
   */
  private String adoptIdentity(DatasetName dataset) {
    DatasetState state = zfs.state(dataset);
    if (!state.mounted()) {
      return "";
    }
    Optional<String> marker = markers.identity(dataset);
    if (marker.isPresent() || state.readonly()) {
      return marker.orElse("");
    }
    String guid = zfs.guid(dataset);
    markers.writeIdentity(dataset, guid);
    LOG.info("dataset {} had no identity marker: wrote {}", dataset, guid);
    return guid;
  }

  /**
   * What this pass knows of the copy after {@link #apply}, so that it is not asked of ZFS again.
   *
   * @param check what the mount shows, when the action found out: why it does not show the
   *     dataset, or that it does (a copy made the primary)
   * @param state the copy's state, when the action left it as it was or changed it knowingly
   * @param snapshots the copy's snapshots, when the action listed them
   */
  private record Applied(Optional<MountCheck> check, Optional<DatasetState> state, Optional<List<Snapshot>> snapshots) {

    static Applied unknown() {
      return new Applied(Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Applied found(MountCheck check) {
      return new Applied(Optional.of(check), Optional.empty(), Optional.empty());
    }

    static Applied unchanged(Optional<CopyState> look) {
      return new Applied(Optional.empty(), look.map(CopyState::state), look.map(CopyState::snapshots));
    }
  }

  /**
   * @param look the copy as read before deciding {@code action}; nothing has changed it since
   * @param local what {@code action} was decided on: {@code look} and what its mount shows
   */
  private Applied apply(DatasetName dataset, CopyAction action, Optional<CopyState> look, Optional<LocalCopy> local,
      ObjectReference about, String identity) {
    if (action instanceof CopyAction.Create c) {
      LOG.info("creating dataset {} ({} bytes), the primary copy", dataset, c.refquotaBytes());
      try {
        zfs.create(dataset, c.refquotaBytes());
      } catch (ZfsException e) {
        if (e.reason() != ZfsException.Reason.ALREADY_EXISTS && !zfs.exists(dataset)) {
          throw e;
        }
      }
      Optional<MountCheck> failed = mount.mount(dataset);
      if (failed.isPresent()) {
        return Applied.found(failed.get());
      }
      markers.writeIdentity(dataset, zfs.guid(dataset));
      events.normal(about, "Created", "created the primary copy on " + node + " (refquota " + c.refquotaBytes()
          + " bytes)");
    } else if (action instanceof CopyAction.MakePrimary p) {
      LOG.info("making the copy of {} the primary: mounted, writable, refquota {}", dataset, p.refquotaBytes());
      // MakePrimary is only decided for an existing copy.
      // MakePrimary is only decided for an existing copy.
      DatasetState was = local.orElseThrow().state();
      List<Snapshot> snapshots = look.orElseThrow().snapshots();
      MountCheck check = mount.makePrimary(dataset, local.orElseThrow(), p.refquotaBytes(), identity, snapshots);
      if (!check.shown() && !check.reason().equals(MountCheck.MARKER_MISSING)) {
        return Applied.found(check);
      }
      events.normal(about, "MadeWritable", "the copy on " + node + " is the primary: mounted and writable");
      if (check.shown()) {
        // Mounted and writable now; its space is as read before, unless its refquota just changed.
        Optional<DatasetState> now = was.refquotaBytes() != p.refquotaBytes() ? Optional.empty()
            : Optional.of(new DatasetState(was.usedBytes(), was.availableBytes(), was.refquotaBytes(), true, false,
                was.mountpoint()));
        return new Applied(Optional.of(check), now, Optional.of(snapshots));
      }
    } else if (action instanceof CopyAction.MakeStandby) {
      LOG.info("making the copy of {} a read-only, unmounted standby: another node is the primary", dataset);
      zfs.makeStandby(dataset);
      events.normal(about, "MadeReadOnly", "the copy on " + node
          + " is a read-only, unmounted standby: another node is the primary");
    } else if (action instanceof CopyAction.Destroy) {
      LOG.info("destroying the copy of {}: its Dataset was deleted with reclaimPolicy Delete", dataset);
      // A held snapshot would make the destroy fail: the holds were for a migration of this data.
      holds.releaseAll(dataset);
      zfs.destroy(dataset);
      events.normal(about, "Destroyed", "destroyed the copy on " + node + ": the Dataset was deleted with reclaimPolicy Delete");
    } else if (action instanceof CopyAction.Lost l) {
      LOG.warn("dataset {} has no copy on its primary node {}, yet it existed ({}): not re-created empty", dataset,
          node, l.why());
    } else if (action instanceof CopyAction.Leave l) {
      LOG.debug("{}: {}", dataset, l.why());
      return Applied.unchanged(look);
    }
    return Applied.unknown();
  }

  /**
   * This node's copy, which exists, as the Dataset's status reports it: mounted only when the
   * mount shows the dataset ({@link PrimaryMount#check}).
   */
  private DatasetCopy copy(DatasetState state, List<Snapshot> snapshots, boolean shown) {
    return new DatasetCopy(snapshots, state.usedBytes(), state.availableBytes(), shown, state.readonly(),
        clock.instant());
  }
}
