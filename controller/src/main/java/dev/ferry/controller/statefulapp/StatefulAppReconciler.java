package dev.ferry.controller.statefulapp;

import static dev.ferry.controller.runtime.Cluster.onContext;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetRef;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPolicy;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.ObjectReference;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.model.StatefulAppStatus;
import dev.ferry.api.store.AlreadyExistsException;
import dev.ferry.api.store.Failures;
import dev.ferry.controller.marathon.MarathonApps;
import dev.ferry.controller.marathon.AppSecretException;
import dev.ferry.controller.marathon.MarathonRejectedException;
import dev.ferry.controller.marathon.TaskGuard;
import dev.ferry.controller.queue.ReconcileResult;
import dev.ferry.controller.queue.Reconciler;
import dev.ferry.controller.runtime.Cluster;
import dev.ferry.api.model.Conditions;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one StatefulApp: reads what the caches and Marathon say, asks
 * {@link StatefulAppPlanner} for the next step, does it, and writes the status when it changed.
 */
public final class StatefulAppReconciler implements Reconciler {

  /** The label on Datasets and Migrations that names the StatefulApp they belong to. */
  public static final String OWNER_LABEL = "ferry.dev/statefulapp";

  private static final Logger LOG = LoggerFactory.getLogger(StatefulAppReconciler.class);

  private final Cluster cluster;
  private final TaskGuard guard;
  private final int historyLimit;

  /** @param historyLimit how many finished Migrations of each app are kept ({@link MigrationHistory}) */
  public StatefulAppReconciler(Cluster cluster, TaskGuard guard, int historyLimit) {
    this.cluster = cluster;
    this.guard = guard;
    this.historyLimit = historyLimit;
  }

  @Override
  public Future<ReconcileResult> reconcile(String name) {
    Optional<StatefulApp> found = cluster.apps().get(name);
    if (found.isEmpty()) {
      return Future.succeededFuture(ReconcileResult.done());
    }
    StatefulApp app = found.get();
    Optional<Dataset> dataset = app.spec().datasetRef().flatMap(d -> cluster.datasets().get(d.name()));
    // The app's own Migrations, from the cache's index: not a copy and sort of every Migration.
    List<Migration> migrations = cluster.migrations().indexed(app.name());
    Optional<Migration> migration = AppConditions.active(app, migrations);
    return cluster.marathonCache().app(MarathonApps.appId(app)).compose(marathon -> {
      boolean lockHolderGone = dataset.map(d -> !d.spec().migration().isEmpty()
          && cluster.migrations().get(d.spec().migration()).isEmpty()).orElse(false);
      AppState state = new AppState(app, dataset, cluster.placementNodes(), migration, marathon,
          MigrationRetry.of(app.name(), migrations), lockHolderGone, cluster.clock().instant(), guard);
      AppStep step = StatefulAppPlanner.plan(state);
      if (step instanceof AppStep.AddFinalizer) {
        // Nothing else has happened yet: go straight on to the next step (the cache already
        // holds the object with its finalizer), and write the status then.
        return execute(state, step).map(ReconcileResult.requeueAfter(Duration.ZERO));
      }
      return execute(state, step)
          .map(v -> Optional.<AppConditions.Rejection>empty())
          .recover(e -> Failures.cause(e) instanceof MarathonRejectedException r
              ? Future.succeededFuture(Optional.of(new AppConditions.Rejection("MarathonRejected", r.getMessage())))
              : Failures.cause(e) instanceof AppSecretException s
              ? Future.succeededFuture(Optional.of(new AppConditions.Rejection("SecretUnresolved", s.getMessage())))
              : Future.failedFuture(Failures.cause(e)))
          .compose(marathonError -> writeStatus(state, step, marathonError))
          .compose(v -> pruneHistory(app, migrations, dataset))
          .map(step instanceof AppStep.MoveLater later ? ReconcileResult.requeueAfter(later.retryIn())
              : ReconcileResult.done());
    });
  }

  private Future<Void> execute(AppState state, AppStep step) {
    StatefulApp app = state.app();
    ObjectReference ref = ObjectReference.to(app);
    if (step instanceof AppStep.AddFinalizer) {
      List<String> finalizers = new ArrayList<>(app.metadata().finalizers());
      finalizers.add(StatefulAppPlanner.FINALIZER);
      return onContext(cluster.store().update(app.withMetadata(app.metadata().withFinalizers(finalizers))))
          .map(cluster.apps()::remember).mapEmpty();
    }
    if (step instanceof AppStep.CreateDataset create) {
      return createDataset(app, create.node())
          .compose(v -> event(cluster.events().normal(ref, "DatasetPlaced",
              app.spec().dataset().name() + " is created on " + create.node())));
    }
    if (step instanceof AppStep.ReleaseDataset release) {
      Dataset d = state.dataset().orElseThrow();
      return onContext(cluster.store().update(d.withSpec(new DatasetSpec(d.spec().size(), d.spec().primary(), "",
          d.spec().reclaimPolicy())))).map(cluster.datasets()::remember)
          .compose(v -> event(cluster.events().warning(ref, "MigrationAbandoned", "migration " + release.migration()
              + " was deleted while it held " + d.name() + "; the data stays on " + d.spec().primary())));
    }
    if (step instanceof AppStep.StartMigration start) {
      return startMigration(app, start)
          .compose(m -> event(cluster.events().normal(ref, "MigrationStarted", "moving " + app.spec().dataset().name()
              + " from " + start.from() + " to " + start.to() + " (" + m.name() + "): " + start.reason())));
    }
    if (step instanceof AppStep.PutApp put) {
      String appId = MarathonApps.appId(app);
      return cluster.putApp(appId, put.app(), put.force())
          .onComplete(x -> cluster.marathonCache().invalidate(appId))
          .compose(deployment -> put.drift()
              ? event(cluster.events().warning(ref, "DriftCorrected", "the Marathon app " + appId
                  + " was changed outside Ferry (" + put.difference() + "); it is put back"))
              : event(cluster.events().normal(ref, "MarathonAppWritten", "wrote " + appId + " (deployment "
                  + deployment + ")")));
    }
    if (step instanceof AppStep.DeleteApp) {
      String appId = MarathonApps.appId(app);
      return cluster.deleteApp(appId).onComplete(x -> cluster.marathonCache().invalidate(appId))
          .compose(v -> event(cluster.events().normal(ref, "MarathonAppDeleted", "deleted " + appId)));
    }
    if (step instanceof AppStep.DeleteDataset) {
      Dataset d = state.dataset().orElseThrow();
      return onContext(cluster.store().delete(Kind.DATASET, d.name(), d.metadata().resourceVersion()))
          .compose(v -> event(cluster.events().normal(ref, "DatasetDeleted", d.name()
              + " is deleted (reclaimPolicy: Delete)")));
    }
    if (step instanceof AppStep.RemoveFinalizer) {
      List<String> rest = app.metadata().finalizers().stream().filter(f -> !f.equals(StatefulAppPlanner.FINALIZER)).toList();
      return rest.isEmpty()
          ? onContext(cluster.store().delete(Kind.STATEFUL_APP, app.name(), app.metadata().resourceVersion())).mapEmpty()
          : onContext(cluster.store().update(app.withMetadata(app.metadata().withFinalizers(rest)))).mapEmpty();
    }
    if (step instanceof AppStep.Unschedulable u && !alreadyUnschedulable(app, u.reason())) {
      return event(cluster.events().warning(ref, "Unschedulable", u.reason()));
    }
    return Future.succeededFuture();
  }

  private Future<Void> createDataset(StatefulApp app, String node) {
    DatasetRef ref = app.spec().dataset();
    Dataset dataset = new Dataset(ObjectMeta.named(ref.name()).withLabels(Map.of(OWNER_LABEL, app.name())),
        new DatasetSpec(ref.size(), node, "", ref.reclaimPolicy()));
    return onContext(cluster.store().create(dataset)).map(cluster.datasets()::remember).<Void>mapEmpty()
        .recover(e -> Failures.cause(e) instanceof AlreadyExistsException ? Future.succeededFuture() : Future.failedFuture(e));
  }

  private Future<Migration> startMigration(StatefulApp app, AppStep.StartMigration start) {
    MigrationPolicy policy = app.spec().migration();
    String base = app.name().length() > 56 ? app.name().substring(0, 56) : app.name();
    String name = base + "-" + UUID.randomUUID().toString().substring(0, 6);
    Migration migration = new Migration(ObjectMeta.named(name).withLabels(Map.of(OWNER_LABEL, app.name())),
        new MigrationSpec(app.name(), app.spec().dataset().name(), start.from(), start.to(), policy.strategy(),
            policy.maxFinalDelta(), policy.maxRounds(), policy.deadlineSeconds()));
    return onContext(cluster.store().create(migration)).map(cluster.migrations()::remember);
  }

  /**
   * Deletes the app's finished Migrations beyond the newest {@code historyLimit}. Each delete is
   * a compare-and-swap on the version seen; one that fails (changed, already gone) is left for the
   * next reconcile, and does not fail this one.
   */
  private Future<Void> pruneHistory(StatefulApp app, List<Migration> migrations, Optional<Dataset> dataset) {
    Optional<String> heldBy = dataset.map(d -> d.spec().migration()).filter(m -> !m.isEmpty());
    List<Migration> old = MigrationHistory.prunable(app.name(), migrations, historyLimit, heldBy);
    if (old.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> deletes = old.stream().map(m -> onContext(cluster.store()
        .delete(Kind.MIGRATION, m.name(), m.metadata().resourceVersion())).<Void>mapEmpty()
        .onFailure(e -> LOG.debug("migration {} of {} not pruned now: {}", m.name(), app.name(), e.toString())))
        .toList();
    return Future.join(deletes).<Void>mapEmpty().otherwiseEmpty()
        .onComplete(x -> LOG.info("pruned {} finished migration(s) of {} beyond the newest {}", old.size(), app.name(),
            historyLimit));
  }

  private Future<Void> writeStatus(AppState state, AppStep step, Optional<AppConditions.Rejection> marathonError) {
    if (state.app().metadata().deletion().isPresent() && step instanceof AppStep.RemoveFinalizer) {
      return Future.succeededFuture();
    }
    StatefulAppStatus status = AppConditions.status(state, step, marathonError, cluster.clock().instant());
    if (status.equals(state.app().status())) {
      return Future.succeededFuture();
    }
    return onContext(cluster.store().updateStatus(state.app().withStatus(status))).map(cluster.apps()::remember).mapEmpty();
  }

  private static boolean alreadyUnschedulable(StatefulApp app, String reason) {
    var c = Conditions.find(app.status().conditions(), AppConditions.SCHEDULED);
    return c != null && !c.isTrue() && c.message().equals(reason);
  }

  private static Future<Void> event(CompletableFuture<Void> recorded) {
    return onContext(recorded);
  }
}
