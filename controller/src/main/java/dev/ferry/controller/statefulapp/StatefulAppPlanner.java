package dev.ferry.controller.statefulapp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetRef;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.ReclaimPolicy;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.controller.marathon.AppSecrets;
import dev.ferry.controller.marathon.MarathonApps;
import dev.ferry.controller.marathon.MarathonApps.Pin;
import dev.ferry.controller.marathon.MarathonDiff;
import dev.ferry.controller.placement.Placement;
import dev.ferry.controller.placement.PlacementDecision;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides the StatefulApp reconciler's next step from what it observed. Pure: no I/O, no
 * clock, so every case is a line in a table test. The order of the checks is the order of
 * precedence: deletion, then the finalizer, then the dataset (where it is, whether it is
 * ready, whether it must move), and Marathon last, since the app follows its data.
 */
public final class StatefulAppPlanner {

  /** Ferry's finalizer on StatefulApps: deletion waits until Marathon and the data are handled. */
  public static final String FINALIZER = "ferry.dev/cleanup";
  /** Why an app waits for a dataset that has a copy but no identity yet (node, dataset). */
  static final String IDENTITY_PENDING = "waiting for %s to record the identity of dataset %s (status.identity is"
      + " empty): the app starts only on a dataset whose identity marker is known";

  private StatefulAppPlanner() {}

  public static AppStep plan(AppState state) {
    StatefulApp app = state.app();
    if (app.metadata().deletion().isPresent()) {
      return planDeletion(state);
    }
    if (!app.metadata().finalizers().contains(FINALIZER)) {
      return new AppStep.AddFinalizer();
    }
    Optional<DatasetRef> ref = app.spec().datasetRef();
    if (ref.isEmpty()) {
      return marathon(state, Optional.empty());
    }
    if (state.dataset().isEmpty()) {
      PlacementDecision decision = Placement.choose(app, Optional.empty(), state.nodes(), "");
      return decision.node().<AppStep>map(AppStep.CreateDataset::new)
          .orElseGet(() -> new AppStep.Unschedulable(decision.reason()));
    }
    Dataset dataset = state.dataset().get();
    if (state.lockHolderGone() && !dataset.spec().migration().isEmpty()) {
      return new AppStep.ReleaseDataset(dataset.spec().migration());
    }
    if (state.migration().isPresent() || !dataset.spec().migration().isEmpty()) {
      String id = state.migration().map(m -> m.name()).orElse(dataset.spec().migration());
      return new AppStep.Wait("migration " + id + " is moving the data");
    }
    String primary = dataset.spec().primary();
    Optional<Node> node = state.node(primary);
    if (primary.isEmpty()) {
      return new AppStep.Wait("dataset " + dataset.name() + " has no primary node");
    }
    if (node.isEmpty()) {
      return new AppStep.Wait("node " + primary + ", which holds the data, is not registered (or Mesos does not list its"
          + " agent as active): is its agent running?");
    }
    if (!dataset.status().copies().containsKey(primary)) {
      return new AppStep.Wait("waiting for " + primary + " to create dataset " + dataset.name());
    }
    if (dataset.status().identity().isEmpty()) {
      // The task guard starts the app only where the dataset's marker says this identity:
      // without it, every start would be refused.
      return new AppStep.Wait(IDENTITY_PENDING.formatted(primary, dataset.name()));
    }
    Node n = node.get();
    Optional<Pin> here = Optional.of(new Pin(n.spec().hostnameOr(n.name()), n.spec().datasetPath(dataset.name()),
        dataset.status().identity()));
    if (!Placement.satisfies(app, n)) {
      Optional<Duration> wait = state.retry().waitLeft(state.now());
      if (wait.isPresent()) {
        // Until then the app runs where its data is (after a rollback Marathon may have it stopped).
        AppStep keep = marathon(state, here);
        return keep instanceof AppStep.PutApp ? keep : new AppStep.MoveLater(state.retry().failuresInARow()
            + " move(s) of the data failed; the next try is in " + wait.get().toSeconds() + "s", wait.get());
      }
      PlacementDecision decision = Placement.choose(app, Optional.of(dataset), state.nodes(), primary);
      String why = primary + " no longer satisfies " + app.spec().placement().constraints();
      return decision.node().<AppStep>map(to -> new AppStep.StartMigration(primary, to, why))
          .orElseGet(() -> new AppStep.Unschedulable(decision.reason()));
    }
    return marathon(state, here);
  }

  private static AppStep planDeletion(AppState state) {
    if (state.marathon().isPresent()) {
      return new AppStep.DeleteApp();
    }
    boolean deleteData = state.app().spec().datasetRef().map(d -> d.reclaimPolicy() == ReclaimPolicy.Delete).orElse(false);
    if (deleteData && state.dataset().isPresent()) {
      return new AppStep.DeleteDataset();
    }
    if (state.app().metadata().finalizers().contains(FINALIZER)) {
      return new AppStep.RemoveFinalizer();
    }
    return new AppStep.InSync();
  }

  private static AppStep marathon(AppState state, Optional<Pin> pin) {
    StatefulApp app = state.app();
    int instances = app.spec().app().path("instances").asInt(1);
    ObjectNode desired = MarathonApps.build(app, pin, instances, state.guard());
    if (state.marathon().isEmpty()) {
      return new AppStep.PutApp(desired, false, "", false);
    }
    MarathonView view = state.marathon().get();
    var observed = view.app();
    // What Ferry last wrote is the app wanted now: a spec change Marathon need not see (the
    // placement of an app with data) is not written, as every write restarts the task.
    boolean sameApp = observed.path("labels").path(MarathonApps.LABEL_APP_HASH).asText("")
        .equals(desired.path("labels").path(MarathonApps.LABEL_APP_HASH).asText());
    // The generation label alone differing is no reason to write either.
    // Marathon holds the secrets' values where the desired app names them: those are not compared.
    ObjectNode compared = AppSecrets.withoutSecrets(desired);
    ((ObjectNode) compared.get("labels")).remove(MarathonApps.LABEL_GENERATION);
    if (sameApp && MarathonDiff.covers(compared, observed)) {
      return new AppStep.InSync();
    }
    String difference = MarathonDiff.firstDifference(compared, observed);
    if (sameApp && view.deploying()) {
      // Marathon would answer 409: let the deployment finish (its end wakes this app again).
      return new AppStep.Wait("Marathon is deploying the app; the drift in " + difference + " is put back after it");
    }
    return new AppStep.PutApp(desired, sameApp, difference, view.deploying());
  }
}
