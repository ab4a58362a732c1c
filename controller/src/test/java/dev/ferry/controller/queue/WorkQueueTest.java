package dev.ferry.controller.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  private WorkQueue queue(Reconciler reconciler, int workers) {
    TokenBucket unlimited = new TokenBucket(1_000_000, 1_000_000, System::nanoTime);
    // Made off any context, the queue takes a fresh event-loop context of its own.
    WorkQueue queue = new WorkQueue(vertx, "test", reconciler, new Backoff(Duration.ofMillis(5), Duration.ofMillis(40)),
        unlimited, workers);
    queue.start();
    return queue;
  }

  @Test
  void runsANameOnceForManyAddsWhileItWaits() {
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    Promise<Void> gate = Promise.promise();
    WorkQueue q = queue(name -> {
      runs.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      return name.equals("blocker") ? gate.future().map(ReconcileResult.done()) : Future.succeededFuture(ReconcileResult.done());
    }, 1);

    q.add("blocker");
    for (int i = 0; i < 50; i++) {
      q.add("app");
    }
    await().until(() -> runs.containsKey("blocker"));
    vertx.runOnContext(v -> gate.complete());

    await().until(() -> runs.containsKey("app"));
    await().during(Duration.ofMillis(200)).until(() -> runs.get("app").get() == 1);
  }

  @Test
  void neverRunsTheSameNameTwiceAtOnceButRunsAgainAfterAnAddDuringARun() {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    List<Promise<ReconcileResult>> pending = new CopyOnWriteArrayList<>();
    WorkQueue q = queue(name -> {
      maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      runs.incrementAndGet();
      Promise<ReconcileResult> p = Promise.promise();
      pending.add(p);
      return p.future().onComplete(x -> concurrent.decrementAndGet());
    }, 4);

    q.add("app");
    await().until(() -> pending.size() == 1);
    q.add("app");
    q.add("app");
    await().during(Duration.ofMillis(100)).until(() -> pending.size() == 1);
    vertx.runOnContext(v -> pending.get(0).complete(ReconcileResult.done()));

    await().until(() -> pending.size() == 2);
    vertx.runOnContext(v -> pending.get(1).complete(ReconcileResult.done()));
    await().during(Duration.ofMillis(100)).until(() -> runs.get() == 2);
    assertThat(maxConcurrent.get()).isEqualTo(1);
  }

  @Test
  void retriesAFailureUntilItSucceedsAndThenForgetsTheFailures() {
    AtomicInteger attempts = new AtomicInteger();
    WorkQueue[] q = new WorkQueue[1];
    q[0] = queue(name -> attempts.incrementAndGet() < 4
        ? Future.failedFuture(new IllegalStateException("Marathon said 409"))
        : Future.succeededFuture(ReconcileResult.done()), 1);

    q[0].add("app");

    await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 4);
    await().until(() -> q[0].failures("app") == 0);
    await().during(Duration.ofMillis(200)).until(() -> attempts.get() == 4);
  }

  @Test
  void requeuesAfterTheDelayAReconcileAsksFor() {
    AtomicInteger runs = new AtomicInteger();
    WorkQueue q = queue(name -> Future.succeededFuture(runs.incrementAndGet() < 3
        ? ReconcileResult.requeueAfter(Duration.ofMillis(20)) : ReconcileResult.done()), 1);

    q.add("migration");

    await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 3);
    await().during(Duration.ofMillis(200)).until(() -> runs.get() == 3);
  }

  @Test
  void runsDifferentNamesSideBySideUpToTheWorkerCount() {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    List<Promise<ReconcileResult>> pending = new CopyOnWriteArrayList<>();
    WorkQueue q = queue(name -> {
      maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      Promise<ReconcileResult> p = Promise.promise();
      pending.add(p);
      return p.future().onComplete(x -> concurrent.decrementAndGet());
    }, 3);

    for (int i = 0; i < 10; i++) {
      q.add("app-" + i);
    }
    await().until(() -> pending.size() == 3);
    assertThat(q.depth()).isEqualTo(7);
    vertx.runOnContext(v -> pending.forEach(p -> p.tryComplete(ReconcileResult.done())));
    await().until(() -> pending.size() == 6);
    assertThat(maxConcurrent.get()).isEqualTo(3);
  }

  @Test
  void collectsNamesButRunsNothingUntilStarted() {
    AtomicInteger runs = new AtomicInteger();
    WorkQueue q = new WorkQueue(vertx, "test", name -> {
      runs.incrementAndGet();
      return Future.succeededFuture(ReconcileResult.done());
    }, Backoff.DEFAULT, new TokenBucket(100, 100, System::nanoTime), 2);

    q.add("a");
    q.add("b");
    q.add("a");
    await().during(Duration.ofMillis(200)).until(() -> runs.get() == 0);
    assertThat(q.depth()).isEqualTo(2);

    q.start();
    await().until(() -> runs.get() == 2);
  }

  @Test
  void stopsTakingWorkWhenStopped() {
    AtomicInteger runs = new AtomicInteger();
    WorkQueue q = queue(name -> {
      runs.incrementAndGet();
      return Future.succeededFuture(ReconcileResult.requeueAfter(Duration.ofMillis(10)));
    }, 1);

    q.add("app");
    await().until(() -> runs.get() >= 2);
    q.stop();
    int after = runs.get();
    await().during(Duration.ofMillis(200)).until(() -> runs.get() <= after + 1);
  }
}
