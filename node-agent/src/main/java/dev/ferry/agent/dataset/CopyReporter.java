package dev.ferry.agent.dataset;

import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Conditions;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.DatasetStatus;
import dev.ferry.api.model.Kind;
import dev.ferry.api.store.ConflictException;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.Failures;
import dev.ferry.api.store.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes this node's entry of a Dataset's {@code status.copies}, with what the primary's agent
 * states in {@code status.conditions} and {@code status.identity} ({@link CopyReport}). Every agent
 * writes its own entry of the same map, so a write is a compare-and-swap on the Dataset's revision
 * that, when another agent wrote first, re-reads the Dataset and merges again. Writes nothing when
 * the status already says the same (apart from times, and apart from space figures that moved
 * less than the {@link UsageThreshold} or too recently reported), so a quiet copy costs no etcd
 * writes.
 * Blocking: call it on a worker thread.
 */
public final class CopyReporter {

  private static final int ATTEMPTS = 10;
  private static final long TIMEOUT_SECONDS = 30;

  private final EtcdStore store;
  private final String node;
  private final Clock clock;
  private final UsageThreshold usage;

  public CopyReporter(EtcdStore store, String node, Clock clock, UsageThreshold usage) {
    this.store = store;
    this.node = node;
    this.clock = clock;
    this.usage = usage;
  }

  /**
   * Writes {@code report}: this node's entry, the conditions it states, and its identity when the
   * Dataset has none yet.
   *
   * @return whether anything was written
   */
  public boolean report(String dataset, CopyReport report) {
    for (int attempt = 1; ; attempt++) {
      Optional<Dataset> current = await(store.get(Kind.DATASET, dataset));
      if (current.isEmpty()) {
        return false;
      }
      DatasetStatus status = current.get().status();
      String identity = status.identity().isEmpty() ? report.identity() : status.identity();
      List<Condition> conditions = report.conditions().isEmpty() ? status.conditions()
          : Conditions.replace(status.conditions(), report.conditions(), clock.instant());
      if (same(status.copies().get(node), report.copy().orElse(null), usage, clock.instant()) && identity.equals(status.identity())
          && new HashSet<>(conditions).equals(new HashSet<>(status.conditions()))) {
        return false;
      }
      Map<String, DatasetCopy> copies = new HashMap<>(status.copies());
      report.copy().ifPresentOrElse(c -> copies.put(node, c), () -> copies.remove(node));
      try {
        await(store.updateStatus(current.get().withStatus(
            new DatasetStatus(status.observedGeneration(), copies, conditions, identity))));
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

  /**
   * Whether {@code observed} says nothing worth writing over {@code reported}: the same snapshots,
   * mount and readonly state, and space figures {@code usage} does not find due.
   */
  static boolean same(DatasetCopy reported, DatasetCopy observed, UsageThreshold usage, Instant now) {
    if (reported == null || observed == null) {
      return reported == observed;
    }
    return reported.snapshots().equals(observed.snapshots()) && reported.mounted() == observed.mounted()
        && reported.readonly() == observed.readonly()
        && !usage.due(reported, observed.usedBytes(), observed.availableBytes(), now);
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
