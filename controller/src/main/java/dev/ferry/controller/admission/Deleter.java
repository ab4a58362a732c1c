package dev.ferry.controller.admission;

import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.store.ConflictException;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.NotFoundException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;

/**
 * Delete, as the API and GitOps' prune do it. An object without finalizers is deleted at once.
 * One with finalizers (a StatefulApp whose dataset the reconciler must release first) only gets
 * a {@code metadata.deletionTimestamp}; the reconciler that owns the finalizer deletes it when
 * done. Deleting an object already marked changes nothing. A Dataset that a StatefulApp names
 * is not deleted at all ({@link AdmissionException.Problem#IN_USE}): deleting the StatefulApp is
 * how its data goes, as its reclaimPolicy says. The controller deletes Datasets through the
 * store, not here.
 */
public final class Deleter {

  private final EtcdStore store;
  private final Ownership ownership;

  public Deleter(EtcdStore store) {
    this.store = store;
    this.ownership = new Ownership(store);
  }

  /**
   * Deletes {@code kind}/{@code name}.
   *
   * @param expectedVersion the resourceVersion the caller read, or 0 for whatever is stored
   * @throws NotFoundException (through the future) if there is no such object
   * @throws ConflictException (through the future) if it changed since {@code expectedVersion}
   * @throws AdmissionException (through the future) IN_USE for a Dataset a StatefulApp names
   */
  public CompletableFuture<Deleted> delete(Kind<?, ?, ?> kind, String name, long expectedVersion, boolean dryRun) {
    return typed(kind, name, expectedVersion, dryRun);
  }

  private <O extends FerryObject<O, S, T>, S, T> CompletableFuture<Deleted> typed(
      Kind<O, S, T> kind, String name, long expectedVersion, boolean dryRun) {
    return store.get(kind, name).thenCompose(found -> {
      O current = found.orElseThrow(() -> new NotFoundException(kind.name(), name));
      long version = current.metadata().resourceVersion();
      if (expectedVersion != 0 && expectedVersion != version) {
        throw new ConflictException(kind.name(), name, expectedVersion, version);
      }
      return ownership.checkDelete(kind, name).thenCompose(v -> remove(kind, current, dryRun));
    });
  }

  private <O extends FerryObject<O, S, T>, S, T> CompletableFuture<Deleted> remove(
      Kind<O, S, T> kind, O current, boolean dryRun) {
    String name = current.name();
    long version = current.metadata().resourceVersion();
    if (current.metadata().finalizers().isEmpty()) {
      return dryRun ? CompletableFuture.completedFuture(Deleted.deleted(current, true))
          : store.delete(kind, name, version).thenApply(existed -> {
            if (!existed) {
              throw new NotFoundException(kind.name(), name);
            }
            return Deleted.deleted(current, false);
          });
    }
    if (current.metadata().deletion().isPresent() || dryRun) {
      return CompletableFuture.completedFuture(Deleted.deleting(current, dryRun));
    }
    O marked = current.withMetadata(current.metadata()
        .withDeletionTimestamp(Instant.now().truncatedTo(ChronoUnit.MILLIS)));
    return store.update(marked).thenApply(o -> Deleted.deleting(o, false));
  }
}
