package dev.ferry.agent.dataset;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.DatasetStatus;
import dev.ferry.api.model.Kind;
import dev.ferry.api.store.ConflictException;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.Failures;
import dev.ferry.api.store.NotFoundException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes this node's entry of a Dataset's {@code status.copies}. Every agent writes its own entry
 * of the same map, so a write is a compare-and-swap on the Dataset's revision that, when another
 * agent wrote first, re-reads the Dataset and merges again. Writes nothing when the entry already
 * says the same (apart from its time), so a quiet copy costs no etcd writes. Blocking: call it on
 * a worker thread.
 */
public final class CopyReporter {

  private static final int ATTEMPTS = 10;
  private static final long TIMEOUT_SECONDS = 30;

  private final EtcdStore store;
  private final String node;

  public CopyReporter(EtcdStore store, String node) {
    this.store = store;
    this.node = node;
  }

  /**
   * Sets this node's entry to {@code copy}, or removes it when empty.
   *
   * @return whether anything was written
   */
  public boolean report(String dataset, Optional<DatasetCopy> copy) {
    for (int attempt = 1; ; attempt++) {
      Optional<Dataset> current = await(store.get(Kind.DATASET, dataset));
      if (current.isEmpty()) {
        return false;
      }
      DatasetStatus status = current.get().status();
      DatasetCopy reported = status.copies().get(node);
      if (same(reported, copy.orElse(null))) {
        return false;
      }
      Map<String, DatasetCopy> copies = new HashMap<>(status.copies());
      copy.ifPresentOrElse(c -> copies.put(node, c), () -> copies.remove(node));
      try {
        await(store.updateStatus(current.get().withStatus(
            status.withCopies(copies))));
        return true;
      } catch (ConflictException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      } catch (NotFoundException e) {
        return false;
      }
    }
  }

  static boolean same(DatasetCopy a, DatasetCopy b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.snapshots().equals(b.snapshots()) && a.usedBytes() == b.usedBytes()
        && a.availableBytes() == b.availableBytes() && a.mounted() == b.mounted() && a.readonly() == b.readonly();
  }

  /** Waits for a store call, rethrowing its own exception (a conflict, a missing object). */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = Failures.cause(e);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("etcd did not answer within " + TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for etcd", e);
    }
  }
}
