package dev.ferry.controller.migration;

import static dev.ferry.controller.runtime.Cluster.onContext;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetSpec;
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
import java.util.Optional;

/**
 * Drives one Migration through {@link MigrationPlanner}'s steps: each pass reads the caches and
 * Marathon, does the one step the planner names, and runs again on the next change (an agent's
 * progress, a Marathon event) or after the planner's recheck delay.
 */
public final class MigrationReconciler implements Reconciler {

  /** How long a transfer ticket stays valid: a round longer than this is asked for again. */
  public static final Duration TICKET_TTL = Duration.ofHours(1);

  private final Cluster cluster;
  private final ClusterKey key;
  private final ReconcilerMetrics metrics;
  private final TaskGuard guard;

  public MigrationReconciler(Cluster cluster, ClusterKey key, ReconcilerMetrics metrics, TaskGuard guard) {
    this.cluster = cluster;
    this.key = key;
    this.metrics = metrics;
    this.guard = guard;
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
    return marathon.compose(view -> {
      MigrationState state = new MigrationState(m, app, cluster.datasets().get(m.spec().dataset()),
          cluster.placementNodes(), view, cluster.clock().instant());
      MigrationStep step = MigrationPlanner.plan(state);
      return execute(state, step).map(v -> step instanceof MigrationStep.Wait w
          ? ReconcileResult.requeueAfter(w.recheck()) : ReconcileResult.done());
    });
  }

  private Future<Void> execute(MigrationState state, MigrationStep step) {
    Migration m = state.migration();
    if (step instanceof MigrationStep.UpdateStatus u) {
      return writeStatus(m, u.status());
    }
    if (step instanceof MigrationStep.LockDataset) {
      Dataset d = state.dataset().orElseThrow();
      return updateDataset(d, new DatasetSpec(d.spec().size(), d.spec().primary(), m.name(), d.spec().reclaimPolicy()));
    }
    if (step instanceof MigrationStep.RequestTransfer r) {
      String ticket = TransferTicket.issue(m.spec().dataset(), m.spec().from(), m.spec().to(), r.baseGuid(), r.snapshot(),
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
    Future<Void> unlocked = state.dataset()
        .filter(d -> d.spec().migration().equals(m.name()))
        .map(d -> updateDataset(d, new DatasetSpec(d.spec().size(), d.spec().primary(), "", d.spec().reclaimPolicy())))
        .orElse(Future.succeededFuture());
    MigrationStatus end = f.status();
    String summary = switch (f.phase()) {
      case Succeeded -> "moved " + end.bytesTransferred() + " bytes in " + end.rounds().size() + " rounds to "
          + m.spec().to() + "; the app was down for " + (end.downtime() == null ? "0s" : end.downtime().toMillis() + " ms");
      default -> end.message();
    };
    ObjectReference ref = ObjectReference.to(m);
    return unlocked.compose(v -> writeStatus(m, end))
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
    return cluster.marathon().putApp(appId, desired, true)
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
