package dev.ferry.controller.migration;

import static dev.ferry.controller.runtime.Cluster.onContext;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationStatus;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.ObjectReference;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.model.Transfer;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.api.transfer.TransferTicket;
import dev.ferry.controller.marathon.MarathonApps;
import dev.ferry.controller.marathon.MarathonApps.Pin;
import dev.ferry.controller.marathon.TaskGuard;
import dev.ferry.controller.queue.ReconcileResult;
import dev.ferry.controller.queue.Reconciler;
import dev.ferry.controller.runtime.Cluster;
import dev.ferry.controller.runtime.ReconcilerMetrics;
import dev.ferry.controller.statefulapp.MarathonView;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Drives one Migration through {@link MigrationPlanner}'s steps: each pass reads the caches and
 * Marathon, does the one step the planner names, and runs again on the next change (an agent's
 * progress, a Marathon event) or after the planner's recheck delay.
 */
public final class MigrationReconciler implements Reconciler {

  /** How soon a migration looks at Marathon again after writing to it, events or not. */
  static final Duration AFTER_MARATHON_WRITE = Duration.ofMillis(250);
  /** How long a transfer ticket stays valid: a round longer than this is asked for again. */
  public static final Duration TICKET_TTL = Duration.ofHours(1);

  private final Cluster cluster;
  private final ClusterKey key;
  private final ReconcilerMetrics metrics;
  private final TaskGuard guard;
  private final int maxPerNode;
  /**
   * Migrations whose dataset lock is being written: they hold their node slots already, though
   * no cache shows it yet. Guarded by itself, with the count of slots taken and the decision to
   * take one, so that two reconciles cannot both take the last slot of a node.
   */
  private final Set<String> locking = new HashSet<>();

  /** @param maxPerNode how many migrations may run at once from one node, and to one node ({@link NodeSlots}) */
  public MigrationReconciler(Cluster cluster, ClusterKey key, ReconcilerMetrics metrics, TaskGuard guard, int maxPerNode) {
    this.cluster = cluster;
    this.key = key;
    this.metrics = metrics;
    this.guard = guard;
    this.maxPerNode = maxPerNode;
  }

  @Override
  public Future<ReconcileResult> reconcile(String name) {
    Optional<Migration> found = cluster.migrations().get(name);
    if (found.isEmpty()) {
      return Future.succeededFuture(ReconcileResult.done());
    }
    Migration m = found.get();
    Optional<StatefulApp> app = cluster.apps().get(m.spec().statefulApp());
    Future<Optional<MarathonView>> marathon = app.isPresent()
        ? cluster.marathonCache().app(MarathonApps.appId(app.get())) : Future.succeededFuture(Optional.empty());
    return marathon.compose(view -> dataset(m).compose(dataset -> {
      MigrationState state;
      MigrationStep step;
      synchronized (locking) {
        state = new MigrationState(m, app, dataset, cluster.placementNodes(), view, cluster.clock().instant(),
            holdingSlots(m), maxPerNode);
        step = MigrationPlanner.plan(state);
        if (step instanceof MigrationStep.LockDataset) {
          locking.add(m.name());
        }
      }
      return execute(state, step)
          .onComplete(done -> {
            if (step instanceof MigrationStep.LockDataset) {
              synchronized (locking) {
                locking.remove(m.name());
              }
            }
          })
          .map(v -> afterStep(step));
    }));
  }

  /**
   * The other migrations that hold node slots: unfinished ones past Pending, and Pending ones
   * that hold (or are taking) their dataset's lock.
   */
  private List<Migration> holdingSlots(Migration m) {
    return cluster.migrations().list().stream()
        .filter(other -> !other.name().equals(m.name()) && !other.status().phase().isFinished())
        .filter(other -> other.status().phase() != MigrationPhase.Pending || locking.contains(other.name())
            || cluster.datasets().get(other.spec().dataset()).map(d -> d.spec().migration().equals(other.name()))
                .orElse(false))
        .toList();
  }

  /**
   * When to look again after {@code step}. An etcd write wakes the reconciler through its watch;
   * a Marathon write only through Marathon's events, and an event that is lost (a stream that
   * broke) must not leave the app stopped: the migration looks again soon on its own.
   */
  static ReconcileResult afterStep(MigrationStep step) {
    if (step instanceof MigrationStep.Wait w) {
      return ReconcileResult.requeueAfter(w.recheck());
    }
    if (step instanceof MigrationStep.StopApp || step instanceof MigrationStep.StartApp) {
      return ReconcileResult.requeueAfter(AFTER_MARATHON_WRITE);
    }
    if (step instanceof MigrationStep.Queue) {
      return ReconcileResult.requeueAfter(MigrationPlanner.QUEUE_RECHECK);
    }
    return ReconcileResult.done();
  }

  /**
   * The migration's Dataset: from the cache, unless the cache says a running migration lost its
   * lock. The planner ends such a migration, so that is confirmed by a read from etcd first: the
   * caches are fed by separate watches, and the Dataset's may lag behind the Migration's.
   */
  private Future<Optional<Dataset>> dataset(Migration m) {
    Optional<Dataset> cached = cluster.datasets().get(m.spec().dataset());
    boolean looksUnlocked = cached.map(d -> !d.spec().migration().equals(m.name())).orElse(true);
    if (m.status().phase() == MigrationPhase.Pending || m.status().phase().isFinished() || !looksUnlocked) {
      return Future.succeededFuture(cached);
    }
    return onContext(cluster.store().get(Kind.DATASET, m.spec().dataset()))
        .map(fresh -> fresh.map(cluster.datasets()::remember));
  }

  private Future<Void> execute(MigrationState state, MigrationStep step) {
    Migration m = state.migration();
    if (step instanceof MigrationStep.UpdateStatus u) {
      return writeStatus(m, u.status());
    }
    if (step instanceof MigrationStep.Queue q) {
      return writeStatus(m, q.status()).compose(v -> event(m, "Queued", q.reason()));
    }
    if (step instanceof MigrationStep.LockDataset) {
      Dataset d = state.dataset().orElseThrow();
      return updateDataset(d, new DatasetSpec(d.spec().size(), d.spec().primary(), m.name(), d.spec().reclaimPolicy()));
    }
    if (step instanceof MigrationStep.RequestTransfer r) {
      String ticket = TransferTicket.issue(m.metadata().uid(), r.round(), m.spec().dataset(), m.spec().from(), m.spec().to(), r.baseGuid(), r.snapshot(),
          TICKET_TTL, cluster.clock()).encode(key);
      Transfer request = Transfer.request(r.round(), r.attempt(), r.snapshot(), r.fence(), ticket, cluster.clock().instant());
      return writeStatus(m, m.status().withTransfer(request));
    }
    if (step instanceof MigrationStep.StopApp) {
      return putApp(state, m.spec().from(), 0)
          .compose(v -> event(m, "AppStopped", "stopped the app on " + m.spec().from() + " for the last copy"));
    }
    if (step instanceof MigrationStep.SwitchPrimary) {
      Dataset d = state.dataset().orElseThrow();
      return updateDataset(d, new DatasetSpec(d.spec().size(), m.spec().to(), d.spec().migration(), d.spec().reclaimPolicy()))
          .compose(v -> event(m, "PrimarySwitched", d.name() + "'s primary copy is now on " + m.spec().to()));
    }
    if (step instanceof MigrationStep.SwitchBack back) {
      Dataset d = state.dataset().orElseThrow();
      return updateDataset(d, new DatasetSpec(d.spec().size(), m.spec().from(), d.spec().migration(), d.spec().reclaimPolicy()))
          .compose(v -> onContext(cluster.events().warning(ObjectReference.to(m), "PrimarySwitchedBack",
              back.reason() + ": " + d.name() + "'s primary copy is " + m.spec().from() + "'s again")));
    }
    if (step instanceof MigrationStep.StartApp) {
      int instances = state.app().map(a -> a.spec().app().path("instances").asInt(1)).orElse(1);
      return putApp(state, m.spec().to(), instances);
    }
    if (step instanceof MigrationStep.Finish f) {
      return finish(state, f);
    }
    return Future.succeededFuture();
  }

  private Future<Void> finish(MigrationState state, MigrationStep.Finish f) {
    Migration m = state.migration();
    MigrationStatus end = f.status();
    // The final phase and the release of the dataset's lock in one transaction: a crash between
    // the two would leave a migration that no longer owns its dataset but has not ended.
    Future<Void> ended = state.dataset()
        .filter(d -> d.spec().migration().equals(m.name()))
        .map(d -> onContext(cluster.store().updateWithStatusOf(
                d.withSpec(new DatasetSpec(d.spec().size(), d.spec().primary(), "", d.spec().reclaimPolicy())),
                m.withStatus(end)))
            .map(both -> {
              cluster.datasets().remember(both.first());
              cluster.migrations().remember(both.second());
              return (Void) null;
            }))
        .orElseGet(() -> writeStatus(m, end));
    String summary = switch (f.phase()) {
      case Succeeded -> "moved " + end.bytesTransferred() + " bytes in " + end.rounds().size() + " rounds to "
          + m.spec().to() + "; the app was down for " + (end.downtime() == null ? "0s" : end.downtime().toMillis() + " ms");
      default -> end.message();
    };
    ObjectReference ref = ObjectReference.to(m);
    return ended
        .onSuccess(v -> metrics.migrationEnded(f.phase(), end))
        .compose(v -> onContext(f.phase() == MigrationPhase.Succeeded
            ? cluster.events().normal(ref, "MigrationSucceeded", summary)
            : cluster.events().warning(ref, "Migration" + f.phase().name(), summary)));
  }

  private Future<Void> putApp(MigrationState state, String node, int instances) {
    StatefulApp app = state.app().orElseThrow(() -> new IllegalStateException("StatefulApp "
        + state.migration().spec().statefulApp() + " is gone"));
    Node n = state.node(node).orElseThrow(() -> new IllegalStateException("node " + node + " is not registered"));
    String appId = MarathonApps.appId(app);
    String identity = state.dataset().map(d -> d.status().identity()).orElse("");
    var desired = MarathonApps.build(app, Optional.of(new Pin(n.spec().hostnameOr(n.name()),
        n.spec().datasetPath(state.migration().spec().dataset()), identity)), instances, guard);
    // A migration must be able to stop the app even while a deployment of it runs.
    return cluster.putApp(appId, desired, true)
        .onComplete(x -> cluster.marathonCache().invalidate(appId))
        .mapEmpty();
  }

  private Future<Void> updateDataset(Dataset d, DatasetSpec spec) {
    return onContext(cluster.store().update(d.withSpec(spec))).map(cluster.datasets()::remember).mapEmpty();
  }

  private Future<Void> writeStatus(Migration m, MigrationStatus status) {
    return onContext(cluster.store().updateStatus(m.withStatus(status))).map(cluster.migrations()::remember).mapEmpty();
  }

  private Future<Void> event(Migration m, String reason, String message) {
    return onContext(cluster.events().normal(ObjectReference.to(m), reason, message));
  }
}
