package dev.ferry.controller.admission;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.validation.UserWrites;
import dev.ferry.api.validation.UserWrites.Claim;
import dev.ferry.api.validation.ValidationException;
import dev.ferry.controller.marathon.MarathonApps;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Applies {@link UserWrites} to a user's write: reads what the rules are checked against (the
 * StatefulApp a Migration names and its Dataset, the other StatefulApps' claims, who uses a
 * Dataset) and answers with the object to store, or fails with an {@link AdmissionException}:
 * INVALID (HTTP 422) for a write the rules refuse, IN_USE (HTTP 409) for deleting a Dataset that
 * a StatefulApp names.
 *
 * <p>The reads are not in the write's transaction: two users who claim the same dataset name in
 * the same instant can both pass. The check is there to stop the mistake and the attack that
 * takes its time, not a race between two writers who both hold edit rights.
 */
final class Ownership {

  private final EtcdStore store;

  Ownership(EtcdStore store) {
    this.store = store;
  }

  /** The object to store for {@code desired}, written over {@code stored} (empty when new). */
  CompletableFuture<FerryObject<?, ?, ?>> admit(FerryObject<?, ?, ?> desired,
      Optional<? extends FerryObject<?, ?, ?>> stored) {
    if (desired instanceof Dataset d) {
      return rule(() -> UserWrites.dataset(d, stored.map(Kind.DATASET::cast)));
    }
    if (desired instanceof Migration m) {
      return stored.isPresent() ? rule(() -> UserWrites.changedMigration(m, Kind.MIGRATION.cast(stored.get())))
          : newMigration(m);
    }
    if (desired instanceof StatefulApp app) {
      return claims(app, stored.map(Kind.STATEFUL_APP::cast));
    }
    return CompletableFuture.completedFuture(desired);
  }

  /**
   * Completes when {@code kind}/{@code name} may be deleted: fails IN_USE for a Dataset that a
   * StatefulApp names, however far that app's own deletion has gone (its reconciler decides what
   * becomes of the data).
   */
  CompletableFuture<Void> checkDelete(Kind<?, ?, ?> kind, String name) {
    if (kind != Kind.DATASET) {
      return CompletableFuture.completedFuture(null);
    }
    return store.list(Kind.STATEFUL_APP, LabelSelector.EVERYTHING).thenAccept(apps -> apps.items().stream()
        .filter(a -> a.spec().datasetRef().map(r -> r.name().equals(name)).orElse(false))
        .findFirst()
        .ifPresent(user -> {
          throw AdmissionException.inUse("Dataset \"" + name + "\" is in use: StatefulApp \"" + user.name()
              + "\" names it in spec.dataset.name" + (user.metadata().deletion().isPresent() ? " (and is being deleted)" : "")
              + ". Delete the StatefulApp instead: its reclaimPolicy decides whether the data goes with it");
        }));
  }

  private CompletableFuture<FerryObject<?, ?, ?>> newMigration(Migration m) {
    return store.get(Kind.STATEFUL_APP, m.spec().statefulApp()).thenCompose(app -> {
      Optional<String> datasetName = app.flatMap(a -> a.spec().datasetRef()).map(r -> r.name());
      CompletableFuture<Optional<Dataset>> dataset = datasetName.isPresent()
          ? store.get(Kind.DATASET, datasetName.get()) : CompletableFuture.completedFuture(Optional.empty());
      return dataset.thenCompose(d -> rule(() -> UserWrites.newMigration(m, app, d)));
    });
  }

  /** Lists the other apps only when the claim is new: re-applying an unchanged app reads nothing more. */
  private CompletableFuture<FerryObject<?, ?, ?>> claims(StatefulApp app, Optional<StatefulApp> stored) {
    Claim wanted = claim(app);
    if (stored.map(s -> claim(s).equals(wanted)).orElse(false)) {
      return CompletableFuture.completedFuture(app);
    }
    return store.list(Kind.STATEFUL_APP, LabelSelector.EVERYTHING).thenCompose(all -> rule(() -> {
      UserWrites.claims(app, wanted, all.items().stream().map(Ownership::claim).toList());
      return app;
    }));
  }

  private static Claim claim(StatefulApp app) {
    return new Claim(app.name(), app.spec().datasetRef().map(r -> r.name()).orElse(""), MarathonApps.appId(app));
  }

  private static CompletableFuture<FerryObject<?, ?, ?>> rule(Supplier<FerryObject<?, ?, ?>> rule) {
    try {
      return CompletableFuture.completedFuture(rule.get());
    } catch (ValidationException e) {
      return CompletableFuture.failedFuture(AdmissionException.of(AdmissionException.Problem.INVALID, e));
    }
  }
}
