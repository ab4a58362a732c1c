package dev.ferry.agent.work;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A level-triggered work loop over named things (datasets, migrations), as controller-runtime's
 * work queue: {@link #enqueue} asks for a key to be looked at; the work for one key never runs
 * twice at once, a key enqueued while its work runs is looked at once more afterwards (however
 * often it was enqueued), and a failed key is retried with exponential backoff until it
 * succeeds or is enqueued again.
 *
 * <p>The work function receives only the key: it reads everything else itself, so it does not
 * matter which event woke it. All bookkeeping runs on one Vert.x context; the work function must
 * not block it (it returns a future, and does blocking work on a worker).
 */
public final class WorkLoop {

  private static final Logger LOG = LoggerFactory.getLogger(WorkLoop.class);

  private final Context context;
  private final String name;
  private final Function<String, Future<Void>> work;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final Set<String> running = new HashSet<>();
  private final Set<String> again = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final Map<String, Long> retryTimers = new HashMap<>();
  private boolean closed;

  public WorkLoop(Vertx vertx, String name, Function<String, Future<Void>> work, Duration minBackoff,
      Duration maxBackoff) {
    this.context = vertx.getOrCreateContext();
    this.name = name;
    this.work = work;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
  }

  /** Asks for {@code key} to be looked at soon; callable from any thread. */
  public void enqueue(String key) {
    context.runOnContext(v -> start(key));
  }

  /** Stops starting work; work that runs finishes on its own. */
  public void close() {
    context.runOnContext(v -> {
      closed = true;
      retryTimers.values().forEach(context.owner()::cancelTimer);
      retryTimers.clear();
    });
  }

  private void start(String key) {
    if (closed) {
      return;
    }
    if (running.contains(key)) {
      again.add(key);
      return;
    }
    Long timer = retryTimers.remove(key);
    if (timer != null) {
      context.owner().cancelTimer(timer);
    }
    running.add(key);
    Future<Void> done;
    try {
      done = work.apply(key);
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    done.onComplete(ar -> context.runOnContext(v -> finished(key, ar.cause())));
  }

  private void finished(String key, Throwable error) {
    running.remove(key);
    if (error == null) {
      failures.remove(key);
    } else {
      int n = failures.merge(key, 1, Integer::sum);
      long delay = backoff(n).toMillis();
      LOG.warn("{} {}: attempt {} failed, again in {} ms: {}", name, key, n, delay, error.toString());
      if (!closed) {
        retryTimers.put(key, context.owner().setTimer(delay, id -> {
          retryTimers.remove(key);
          start(key);
        }));
      }
    }
    if (again.remove(key)) {
      start(key);
    }
  }

  private Duration backoff(int failuresSoFar) {
    long millis = minBackoff.toMillis() << Math.min(failuresSoFar - 1, 20);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
