package dev.ferry.controller.queue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The queue of object names a reconciler works through, with client-go's guarantees:
 *
 * <ul>
 *   <li>a name waits in the queue at most once, however often it is added;
 *   <li>a name is never reconciled twice at once: added while running, it runs once more after;
 *   <li>a failure retries the name after its own exponential {@link Backoff}, reset by a success,
 *       and retries together go no faster than a global {@link TokenBucket};
 *   <li>at most {@code workers} reconciles run at a time.
 * </ul>
 *
 * <p>All state lives on the Vert.x context the queue was made on, so nothing is locked; adding
 * from another thread hops onto that context first.
 */
public final class WorkQueue {

  private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
  private static final int QUIET_FAILURES = 3;

  private final Vertx vertx;
  private final Context context;
  private final String name;
  private final Reconciler reconciler;
  private final Backoff backoff;
  private final TokenBucket retryLimit;
  private final int workers;
  private Observer observer = (queue, took, ok) -> { };

  private final Queue<String> ready = new ArrayDeque<>();
  private final Set<String> queued = new HashSet<>();
  private final Set<String> running = new HashSet<>();
  private final Set<String> dirty = new HashSet<>();
  private final Map<String, Long> timers = new HashMap<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private boolean stopped;
  private boolean started;

  public WorkQueue(Vertx vertx, String name, Reconciler reconciler, Backoff backoff, TokenBucket retryLimit, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("a work queue needs at least one worker");
    }
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.name = name;
    this.reconciler = reconciler;
    this.backoff = backoff;
    this.retryLimit = retryLimit;
    this.workers = workers;
  }

  /** Hears of every finished reconcile, for metrics. Called on the queue's context. */
  @FunctionalInterface
  public interface Observer {
    void finished(String queue, Duration took, boolean succeeded);
  }

  /** Sets who hears of finished reconciles (replacing any before). */
  public WorkQueue observe(Observer newObserver) {
    this.observer = newObserver;
    return this;
  }

  /**
   * Starts running what is queued. Until then names are only collected: a controller must not
   * reconcile before its caches hold everything, or it would act on a partial picture.
   */
  public void start() {
    onContext(() -> {
      started = true;
      drain();
    });
  }

  /** Queues {@code key} now, unless it already waits. */
  public void add(String key) {
    onContext(() -> enqueue(key));
  }

  /** Names waiting to run (not those running), for metrics. */
  public int depth() {
    return queued.size();
  }

  /** How many times in a row {@code key} has failed. */
  public int failures(String key) {
    return failures.getOrDefault(key, 0);
  }

  /** Stops running anything new; reconciles under way finish. */
  public void stop() {
    onContext(() -> {
      stopped = true;
      timers.values().forEach(vertx::cancelTimer);
      timers.clear();
      ready.clear();
      queued.clear();
    });
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void enqueue(String key) {
    if (stopped) {
      return;
    }
    cancelTimer(key);
    if (running.contains(key)) {
      dirty.add(key);
      return;
    }
    if (queued.add(key)) {
      ready.add(key);
      drain();
    }
  }

  private void schedule(String key, Duration delay) {
    if (stopped || queued.contains(key)) {
      return;
    }
    if (delay.isZero() || delay.isNegative()) {
      enqueue(key);
      return;
    }
    cancelTimer(key);
    timers.put(key, vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
      timers.remove(key);
      enqueue(key);
    }));
  }

  private void cancelTimer(String key) {
    Long timer = timers.remove(key);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private void drain() {
    while (started && !stopped && running.size() < workers && !ready.isEmpty()) {
      String key = ready.poll();
      queued.remove(key);
      running.add(key);
      run(key);
    }
  }

  private void run(String key) {
    long started = System.nanoTime();
    Future<ReconcileResult> result;
    MDC.put("object", key);
    try {
      result = reconciler.reconcile(key);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    } finally {
      MDC.remove("object");
    }
    result.onComplete(ar -> onContext(() -> {
      observer.finished(name, Duration.ofNanos(System.nanoTime() - started), ar.succeeded());
      finish(key, ar.succeeded() ? ar.result() : null, ar.cause());
    }));
  }

  private void finish(String key, ReconcileResult result, Throwable error) {
    running.remove(key);
    if (error != null) {
      int n = failures.merge(key, 1, Integer::sum);
      Duration delay = backoff.delay(n);
      Duration limited = retryLimit.reserve();
      Duration wait = delay.compareTo(limited) >= 0 ? delay : limited;
      // Conflicts and locks come and go in normal operation; only a name that keeps failing is news.
      if (n >= QUIET_FAILURES) {
        LOG.warn("{} {}: reconcile failed ({} in a row), retrying in {} ms: {}", name, key, n, wait.toMillis(),
            error.toString());
      } else {
        LOG.debug("{} {}: reconcile failed ({} in a row), retrying in {} ms: {}", name, key, n, wait.toMillis(),
            error.toString());
      }
      dirty.remove(key);
      schedule(key, wait);
    } else {
      failures.remove(key);
      if (dirty.remove(key)) {
        enqueue(key);
      } else {
        result.requeueAfter().ifPresent(d -> schedule(key, d));
      }
    }
    drain();
  }
}
