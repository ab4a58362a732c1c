package dev.ferry.agent.dataset;

import dev.ferry.agent.snapshots.SnapshotHolds;
import dev.ferry.agent.snapshots.SnapshotHousekeeping;
import dev.ferry.agent.watch.ClusterView;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.DatasetState;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsException;
import dev.ferry.api.events.EventRecorder;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.ObjectReference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this node's copy of one dataset what its Dataset object asks ({@link CopyPlan}), then
 * reports the copy in {@code status.copies[<node>]}. Level-triggered and idempotent: it reads
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
  }

  /** Looks at one dataset; the future fails when a ZFS or etcd call did (the work loop retries). */
  public Future<Void> reconcile(String name) {
    return vertx.executeBlocking(() -> {
      reconcileNow(name);
      return null;
    }, false);
  }

  private void reconcileNow(String name) {
    if (receiving.test(name)) {
      return;
    }
    DatasetName dataset = DatasetName.of(name);
    Optional<Dataset> current = view.dataset(name);
    Optional<Dataset> deleted = view.deletedDataset(name);
    Optional<Migration> owner = current.map(d -> d.spec().migration()).filter(m -> !m.isEmpty())
        .flatMap(view::migration);
    Optional<DatasetState> local = zfs.exists(dataset) ? Optional.of(zfs.state(dataset)) : Optional.empty();
    CopyAction action = CopyPlan.decide(node, current, deleted, owner, local);
    // Without an object only Leave is decided, so the uid-less reference is never recorded.
    ObjectReference about = current.or(() -> deleted).map(ObjectReference::to)
        .orElseGet(() -> new ObjectReference("Dataset", name, ""));
    apply(dataset, action, local, about);
    if (current.isEmpty()) {
      deleted.ifPresent(d -> view.forgetDeleted(name, d));
      return;
    }
    // With a Dataset, no action destroys the copy (Destroy is only decided for a deleted one): it
    // exists now when it did above or was just created, and pruning leaves it in place.
    boolean exists = local.isPresent() || action instanceof CopyAction.Create;
    if (exists) {
      int pruned = housekeeping.tidy(dataset, current.get());
      if (pruned > 0) {
        events.normal(about, "SnapshotsPruned", "destroyed " + pruned + " snapshot(s) on " + node
            + " older than the newest one each other copy shares");
      }
    }
    reporter.report(name, exists ? Optional.of(observe(dataset)) : Optional.empty());
  }

  /** @param local the copy as read before deciding {@code action}; nothing has changed it since */
  private void apply(DatasetName dataset, CopyAction action, Optional<DatasetState> local, ObjectReference about) {
    if (action instanceof CopyAction.Create c) {
      LOG.info("creating dataset {} ({} bytes), the primary copy", dataset, c.refquotaBytes());
      try {
        zfs.create(dataset, c.refquotaBytes());
      } catch (ZfsException e) {
        if (e.reason() != ZfsException.Reason.ALREADY_EXISTS) {
          throw e;
        }
      }
      zfs.mount(dataset);
      events.normal(about, "Created", "created the primary copy on " + node + " (refquota " + c.refquotaBytes()
          + " bytes)");
    } else if (action instanceof CopyAction.MakePrimary p) {
      LOG.info("making the copy of {} the primary: mounted, writable, refquota {}", dataset, p.refquotaBytes());
      // MakePrimary is only decided for an existing copy.
      if (local.orElseThrow().refquotaBytes() != p.refquotaBytes()) {
        zfs.setRefquota(dataset, p.refquotaBytes());
      }
      zfs.placeMountpoint(dataset);
      zfs.mount(dataset);
      zfs.setReadonly(dataset, false);
      events.normal(about, "MadeWritable", "the copy on " + node + " is the primary: mounted and writable");
    } else if (action instanceof CopyAction.MakeStandby) {
      LOG.info("making the copy of {} a read-only standby: another node is the primary", dataset);
      zfs.setReadonly(dataset, true);
      events.normal(about, "MadeReadOnly", "the copy on " + node + " is a read-only standby: another node is the primary");
    } else if (action instanceof CopyAction.Destroy) {
      LOG.info("destroying the copy of {}: its Dataset was deleted with reclaimPolicy Delete", dataset);
      // A held snapshot would make the destroy fail: the holds were for a migration of this data.
      holds.releaseAll(dataset);
      zfs.destroy(dataset);
      events.normal(about, "Destroyed", "destroyed the copy on " + node + ": the Dataset was deleted with reclaimPolicy Delete");
    } else if (action instanceof CopyAction.Leave l) {
      LOG.debug("{}: {}", dataset, l.why());
    }
  }

  /**
   * This node's copy, which exists, as the Dataset's status reports it: read afresh, as this pass
   * may have changed it.
   */
  private DatasetCopy observe(DatasetName dataset) {
    DatasetState state = zfs.state(dataset);
    return new DatasetCopy(zfs.snapshots(dataset), state.usedBytes(), state.availableBytes(),
        state.mounted(), state.readonly(), clock.instant());
  }
}
