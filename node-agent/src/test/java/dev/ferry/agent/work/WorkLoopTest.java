package dev.ferry.agent.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkLoopTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aKeyEnqueuedWhileItsWorkRunsIsLookedAtOnceMoreAfterwardsNeverTwiceAtOnce() {
    List<Promise<Void>> runs = new CopyOnWriteArrayList<>();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    WorkLoop loop = new WorkLoop(vertx, "test", key -> {
      maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      Promise<Void> p = Promise.promise();
      runs.add(p);
      return p.future().onComplete(ar -> concurrent.decrementAndGet());
    }, Duration.ofMillis(10), Duration.ofMillis(100));

    loop.enqueue("db");
    await().until(() -> runs.size() == 1);
    loop.enqueue("db");
    loop.enqueue("db");
    loop.enqueue("db");
    runs.get(0).complete();
    await().until(() -> runs.size() == 2);
    runs.get(1).complete();

    await().during(Duration.ofMillis(200)).until(() -> runs.size() == 2);
    assertThat(maxConcurrent).hasValue(1);
  }

  @Test
  void aFailedKeyIsRetriedUntilItSucceeds() {
    ConcurrentHashMap<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    WorkLoop loop = new WorkLoop(vertx, "test", key -> {
      int n = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      return n < 3 ? Future.failedFuture(new IllegalStateException("not yet")) : Future.succeededFuture();
    }, Duration.ofMillis(10), Duration.ofMillis(100));

    loop.enqueue("db");

    await().until(() -> attempts.get("db") != null && attempts.get("db").get() == 3);
    await().during(Duration.ofMillis(300)).until(() -> attempts.get("db").get() == 3);
  }
}
