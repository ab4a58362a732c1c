package dev.ferry.controller.runtime;

import dev.ferry.api.store.AlreadyExistsException;
import dev.ferry.api.store.ConflictException;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.Failures;
import dev.ferry.api.store.FencedException;
import dev.ferry.api.store.HistoryCompactedException;
import dev.ferry.api.store.NotFoundException;
import dev.ferry.api.store.StoreException;
import dev.ferry.controller.queue.Reconciler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the reconcilers back within seconds of etcd's return after an outage. While etcd is
 * away every reconcile fails and each name's backoff grows towards minutes; nothing in etcd
 * changes when it comes back, so no watch event would wake them early. Once a reconcile fails
 * because etcd did not answer, this probes etcd every {@link #PROBE} with one cheap read and,
 * on the first answer, calls {@code onRecovered} (the reconcilers' resync, which runs every name
 * now and so cuts its backoff short). A refusal (conflict, not found, fenced) is etcd answering:
 * it starts no probe. Its state lives on the context it was made on.
 */
final class EtcdRecovery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EtcdRecovery.class);
  static final Duration PROBE = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final Context context;
  private final EtcdStore store;
  private final Runnable onRecovered;
  private long timer = -1;
  private boolean closed;

  EtcdRecovery(Vertx vertx, EtcdStore store, Runnable onRecovered) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.store = store;
    this.onRecovered = onRecovered;
  }

  /** {@code inner}, telling this recovery of the failures that mean etcd is away. */
  Reconciler watching(Reconciler inner) {
    return name -> inner.reconcile(name).onFailure(this::failed);
  }

  /** Whether {@code error} means etcd did not answer (rather than answered no). */
  static boolean unavailable(Throwable error) {
    Throwable cause = Failures.cause(error);
    return cause instanceof StoreException
        && !(cause instanceof ConflictException || cause instanceof NotFoundException
            || cause instanceof AlreadyExistsException || cause instanceof FencedException
            || cause instanceof HistoryCompactedException);
  }

  private void failed(Throwable error) {
    if (unavailable(error)) {
      context.runOnContext(v -> startProbing());
    }
  }

  private void startProbing() {
    if (closed || timer >= 0) {
      return;
    }
    LOG.warn("etcd did not answer; probing it every {} ms to resume as soon as it is back", PROBE.toMillis());
    timer = vertx.setPeriodic(PROBE.toMillis(), t -> store.checkFence().whenComplete((ok, error) -> {
      if (error == null || !unavailable(error)) {
        context.runOnContext(v -> recovered());
      }
    }));
  }

  private void recovered() {
    if (timer < 0) {
      return;
    }
    vertx.cancelTimer(timer);
    timer = -1;
    if (!closed) {
      LOG.info("etcd answers again: resyncing every object now");
      onRecovered.run();
    }
  }

  @Override
  public void close() {
    context.runOnContext(v -> {
      closed = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    });
  }
}
