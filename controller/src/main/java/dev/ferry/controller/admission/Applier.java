package dev.ferry.controller.admission;

import dev.ferry.api.codec.Json;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.GitSource;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.store.AlreadyExistsException;
import dev.ferry.api.store.ConflictException;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.Failures;
import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.HostAccess;
import dev.ferry.api.validation.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Apply: create an object, or update the stored one to what the user wants. The one write path
 * for user objects, shared by the API server and GitOps.
 *
 * <p>From the user's object only {@code metadata.labels}, {@code metadata.annotations} and
 * {@code spec} are taken; everything else in metadata (uid, generation, finalizers,
 * deletionTimestamp) stays as stored, and status is never written here. A
 * {@code metadata.resourceVersion} other than 0 is a precondition: the apply fails with
 * {@link ConflictException} unless the stored object has exactly that version (or, for a
 * missing object, at all). Without one, a write that loses a race re-reads and tries again.
 * Nothing is written when the stored object already says the same ({@link ApplyOutcome#UNCHANGED}).
 *
 * <p>Every apply passes {@link Ownership} first, on the same read it writes over: users may not
 * write what the controller owns (a Dataset's {@code primary} and {@code migration}, a
 * Migration's spec once created) nor claim what another StatefulApp holds, and no create may
 * pass its kind's {@link ObjectQuotas quota}. The controller's own
 * writes go to the store directly and are not bound by this.
 */
public final class Applier {

  private static final int ATTEMPTS = 5;

  private final EtcdStore store;
  private final Ownership ownership;
  private final ObjectQuotas quotas;

  /** @param quotas how many objects of each kind may exist: a create past them is refused */
  public Applier(EtcdStore store, ObjectQuotas quotas) {
    this.store = store;
    this.ownership = new Ownership(store);
    this.quotas = quotas;
  }

  /** Applies {@code desired}; with {@code dryRun}, decides the same but writes nothing. */
  public CompletableFuture<Applied> apply(FerryObject<?, ?, ?> desired, boolean dryRun) {
    return apply(desired, dryRun, stored -> { });
  }

  /**
   * Applies {@code desired} for an admin, who alone may write an app that reaches into its node
   * ({@link HostAccess}); {@link #apply} refuses such an app.
   */
  public CompletableFuture<Applied> applyAsAdmin(FerryObject<?, ?, ?> desired, boolean dryRun) {
    return apply(desired, dryRun, stored -> { }, true);
  }

  /**
   * Applies {@code desired} if {@code check} accepts what is stored (empty when nothing is): it
   * sees the same read the write is based on, again on each retry, and refuses by throwing.
   */
  public CompletableFuture<Applied> apply(FerryObject<?, ?, ?> desired, boolean dryRun,
      Consumer<Optional<? extends FerryObject<?, ?, ?>>> check) {
    return apply(desired, dryRun, check, false);
  }

  private CompletableFuture<Applied> apply(FerryObject<?, ?, ?> desired, boolean dryRun,
      Consumer<Optional<? extends FerryObject<?, ?, ?>>> check, boolean admin) {
    Kind<?, ?, ?> kind = Kind.find(desired.kind()).orElseThrow(
        () -> new IllegalArgumentException("unknown kind " + desired.kind()));
    if (!admin && desired instanceof StatefulApp app) {
      List<FieldError> needsAdmin = HostAccess.check(app.spec().app());
      if (!needsAdmin.isEmpty()) {
        return CompletableFuture.failedFuture(AdmissionException.forbidden(
            new ValidationException("StatefulApp \"" + app.name() + "\"", needsAdmin)));
      }
    }
    return attempt(kind, desired, dryRun, check, 1);
  }

  private <O extends FerryObject<O, S, T>, S, T> CompletableFuture<Applied> attempt(Kind<O, S, T> kind,
      FerryObject<?, ?, ?> anyDesired, boolean dryRun, Consumer<Optional<? extends FerryObject<?, ?, ?>>> check,
      int attempt) {
    O desired = kind.cast(anyDesired);
    long precondition = desired.metadata().resourceVersion();
    return store.get(kind, desired.name())
        .thenCompose(stored -> {
          check.accept(stored);
          return ownership.admit(desired, stored).thenCompose(admitted -> write(kind.cast(admitted), stored, dryRun));
        })
        .handle((applied, error) -> {
          Throwable cause = Failures.cause(error);
          boolean lostRace = cause instanceof ConflictException || cause instanceof AlreadyExistsException;
          if (lostRace && precondition == 0 && attempt < ATTEMPTS) {
            return attempt(kind, desired, dryRun, check, attempt + 1);
          }
          return error == null ? CompletableFuture.completedFuture(applied)
              : CompletableFuture.<Applied>failedFuture(cause);
        })
        .thenCompose(f -> f);
  }

  private <O extends FerryObject<O, S, T>, S, T> CompletableFuture<Applied> write(
      O desired, Optional<O> stored, boolean dryRun) {
    long precondition = desired.metadata().resourceVersion();
    if (stored.isEmpty()) {
      if (precondition != 0) {
        throw new ConflictException(desired.kind(), desired.name(), precondition, 0);
      }
      O fresh = desired.withMetadata(userMetadata(desired.metadata()));
      Kind<?, ?, ?> kind = Kind.find(desired.kind()).orElseThrow();
      // Counted by etcd without reading a value: cheap enough for every create.
      return store.count(kind).thenCompose(existing -> {
        quotas.admitOneMore(kind, existing);
        return dryRun ? CompletableFuture.completedFuture(Applied.created(fresh, true))
            : store.create(fresh).thenApply(o -> Applied.created(o, false));
      });
    }
    O current = stored.get();
    long version = current.metadata().resourceVersion();
    if (precondition != 0 && precondition != version) {
      throw new ConflictException(desired.kind(), desired.name(), precondition, version);
    }
    ObjectMeta m = current.metadata();
    O merged = current
        .withMetadata(m.withLabels(keepOwner(desired.metadata().labels(), m.labels()))
            .withAnnotations(desired.metadata().annotations()))
        .withSpec(desired.spec());
    if (sameUserFields(current, merged)) {
      return CompletableFuture.completedFuture(Applied.unchanged(current, dryRun));
    }
    return dryRun ? CompletableFuture.completedFuture(Applied.configured(merged, true))
        : store.update(merged).thenApply(o -> Applied.configured(o, false));
  }

  /**
   * The labels to store: the user's, and the GitSource owner label of the stored object when the
   * user's leave it out. Otherwise a {@code ferryctl apply} of a file without the label would take
   * the object from its GitSource, whose every later sync would then refuse it as not its own;
   * kept, the change shows as drift, and selfHeal puts git's version back. Setting the label to
   * another value still changes it.
   */
  private static Map<String, String> keepOwner(Map<String, String> desired,
      Map<String, String> stored) {
    String owner = stored.get(GitSource.OWNER_LABEL);
    if (owner == null || desired.containsKey(GitSource.OWNER_LABEL)) {
      return desired;
    }
    Map<String, String> labels = new LinkedHashMap<>(desired);
    labels.put(GitSource.OWNER_LABEL, owner);
    return labels;
  }

  /** What a user may set on a new object: its name, labels and annotations. */
  private static ObjectMeta userMetadata(ObjectMeta m) {
    return ObjectMeta.named(m.name()).withLabels(m.labels()).withAnnotations(m.annotations());
  }

  private static boolean sameUserFields(FerryObject<?, ?, ?> a, FerryObject<?, ?, ?> b) {
    return a.metadata().labels().equals(b.metadata().labels())
        && a.metadata().annotations().equals(b.metadata().annotations())
        && Json.sameJson(a.spec(), b.spec());
  }
}
