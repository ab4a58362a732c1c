package dev.ferry.controller.statefulapp;

import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.MarathonAppStatus;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.model.StatefulAppStatus;
import dev.ferry.controller.marathon.MarathonApps;
import dev.ferry.api.model.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A StatefulApp's status from what the reconciler saw and decided. Conditions carry the truth:
 * {@code Scheduled} (a node fits), {@code DatasetReady}, {@code Migrating} and {@code Ready}
 * (the task is healthy); {@code phase} is a one-word summary of them for {@code ferryctl get}.
 */
public final class AppConditions {

  /**
   * Why the app was not written to Marathon: the Ready condition's reason ({@code MarathonRejected},
   * {@code SecretUnresolved}) and message, which names the field to fix.
   */
  public record Rejection(String reason, String message) {}

  public static final String SCHEDULED = "Scheduled";
  public static final String DATASET_READY = "DatasetReady";
  public static final String MIGRATING = "Migrating";
  public static final String READY = "Ready";
  /** The Dataset condition its primary's agent writes: whether the copy is mounted and shows its identity. */
  private static final String DATASET_MOUNTED = "Mounted";

  private AppConditions() {}

  /**
   * @param marathonError why the app could not be written to Marathon (Marathon refused it, or a
   *     secret it refers to cannot be read), empty when it was not refused
   */
  public static StatefulAppStatus status(AppState state, AppStep step, Optional<Rejection> marathonError, Instant now) {
    StatefulApp app = state.app();
    long gen = app.metadata().generation();
    List<Condition> computed = new ArrayList<>();
    boolean unschedulable = step instanceof AppStep.Unschedulable;
    if (step instanceof AppStep.Unschedulable u) {
      computed.add(Conditions.of(SCHEDULED, false, "Unschedulable", u.reason(), gen));
    } else if (step instanceof AppStep.MoveLater later) {
      computed.add(Conditions.of(SCHEDULED, false, "MoveBackoff", later.reason(), gen));
    } else {
      computed.add(Conditions.of(SCHEDULED, true, "Placed", placedMessage(state), gen));
    }
    if (app.spec().datasetRef().isPresent()) {
      computed.add(datasetReady(state, gen));
    }
    computed.add(state.migration().map(m -> Conditions.of(MIGRATING, true, m.status().phase().name(),
        "migration " + m.name() + " is moving the data from " + m.spec().from() + " to " + m.spec().to(), gen))
        .orElseGet(() -> Conditions.of(MIGRATING, false, "NoMigration", "", gen)));
    Condition ready = ready(state, marathonError, gen);
    computed.add(ready);

    String phase = app.metadata().deletion().isPresent() ? "Terminating"
        : state.migration().isPresent() ? "Migrating"
        : ready.isTrue() ? "Running"
        : unschedulable ? "Unschedulable"
        : marathonError.isPresent() ? "Failed"
        : "Pending";
    MarathonAppStatus marathon = state.marathon().map(v -> new MarathonAppStatus(MarathonApps.appId(app), v.version(),
        (int) v.runningTasks(), (int) v.healthyTasks())).orElse(null);
    String node = state.dataset().map(d -> d.spec().primary()).orElse("");
    return new StatefulAppStatus(gen, node, phase, Conditions.merge(app.status().conditions(), computed, now), marathon);
  }

  private static String placedMessage(AppState state) {
    return state.dataset().map(d -> d.spec().primary()).filter(p -> !p.isEmpty())
        .map(p -> "the data is on " + p).orElse("");
  }

  private static Condition datasetReady(AppState state, long gen) {
    Optional<Dataset> dataset = state.dataset();
    if (dataset.isEmpty()) {
      return Conditions.of(DATASET_READY, false, "NotCreated", "the dataset has no node yet", gen);
    }
    Dataset d = dataset.get();
    if (!d.status().copies().containsKey(d.spec().primary())) {
      return Conditions.of(DATASET_READY, false, "Creating", "waiting for " + d.spec().primary() + " to create "
          + d.name(), gen);
    }
    if (d.status().identity().isEmpty()) {
      return Conditions.of(DATASET_READY, false, "NoIdentity",
          StatefulAppPlanner.IDENTITY_PENDING.formatted(d.spec().primary(), d.name()), gen);
    }
    // The primary's agent says whether its copy is really mounted (an unmounted primary leaves a bare
    // directory that the task guard refuses): the app cannot run until it is, and the user must see why.
    Optional<Condition> unmounted = d.status().conditions().stream()
        .filter(c -> c.type().equals(DATASET_MOUNTED) && c.status().equals(Condition.FALSE)).findFirst();
    if (unmounted.isPresent()) {
      return Conditions.of(DATASET_READY, false, unmounted.get().reason(), d.name() + " is not mounted on "
          + d.spec().primary() + ": " + unmounted.get().message(), gen);
    }
    return Conditions.of(DATASET_READY, true, "Created", d.name() + " is on " + d.spec().primary(), gen);
  }

  private static Condition ready(AppState state, Optional<Rejection> marathonError, long gen) {
    if (marathonError.isPresent()) {
      return Conditions.of(READY, false, marathonError.get().reason(), marathonError.get().message(), gen);
    }
    Optional<MarathonView> view = state.marathon();
    int wanted = state.app().spec().app().path("instances").asInt(1);
    if (view.isEmpty()) {
      return Conditions.of(READY, false, "NoMarathonApp", "Marathon has no app for it yet", gen);
    }
    if (wanted == 0 && state.migration().isEmpty()) {
      return Conditions.of(READY, true, "ScaledToZero", "instances is 0", gen);
    }
    long healthy = view.get().healthyTasks();
    if (healthy >= wanted && wanted > 0) {
      return Conditions.of(READY, true, "TaskHealthy", healthy + " of " + wanted + " tasks healthy", gen);
    }
    String reason = view.get().deploying() ? "Deploying" : view.get().runningTasks() > 0 ? "TaskNotHealthy" : "NoTask";
    return Conditions.of(READY, false, reason, healthy + " of " + wanted + " tasks healthy", gen);
  }

  /** The unfinished migration of {@code app} among {@code migrations}, if there is one. */
  public static Optional<Migration> active(StatefulApp app, List<Migration> migrations) {
    return active(app.name(), migrations);
  }

  /** The unfinished migration of the StatefulApp named {@code app}, if there is one. */
  public static Optional<Migration> active(String app, List<Migration> migrations) {
    return migrations.stream()
        .filter(m -> m.spec().statefulApp().equals(app) && !m.status().phase().isFinished())
        .findFirst();
  }
}
