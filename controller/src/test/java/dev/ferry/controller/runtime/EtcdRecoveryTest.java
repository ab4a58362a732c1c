package dev.ferry.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.Kind;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.controller.queue.Backoff;
import dev.ferry.controller.queue.ReconcileResult;
import dev.ferry.controller.queue.TokenBucket;
import dev.ferry.controller.queue.WorkQueue;
import dev.ferry.testing.EtcdExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * etcd crashes (SIGKILL) and stays away long enough for a reconcile's backoff to grow past
 * half a minute; when it is back, the reconcile runs again within seconds instead of at the end
 * of its backoff.
 */
class EtcdRecoveryTest {

  /** Grows fast, so that a short outage gives a long wait: 1, 2, 4, 8, 16, 32 s ... */
  private static final Backoff STEEP = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  private Vertx vertx;
  private EtcdStore store;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    store = EtcdStore.connect(etcd.config().withKeyPrefix("/etcd-recovery-test")
        .withConnectTimeout(Duration.ofSeconds(1)).withRequestTimeout(Duration.ofSeconds(2)));
  }

  @AfterEach
  void stop() {
    etcd.startAgain();
    store.close();
    vertx.close().await();
  }

  @Test
  void reconcilesResumeWithinSecondsOfEtcdsReturnNotAtTheEndOfTheirBackoff() {
    AtomicInteger failures = new AtomicInteger();
    AtomicLong succeededAt = new AtomicLong();
    WorkQueue[] queue = new WorkQueue[1];
    EtcdRecovery recovery = new EtcdRecovery(vertx, store, () -> queue[0].add("one"));
    queue[0] = new WorkQueue(vertx, "test", recovery.watching(name ->
        Future.fromCompletionStage(store.get(Kind.NODE, name))
            .map(found -> {
              succeededAt.set(System.nanoTime());
              return ReconcileResult.done();
            })
            .onFailure(e -> failures.incrementAndGet())),
        STEEP, new TokenBucket(100, 100, System::nanoTime), 1);
    queue[0].start();
    try {
      queue[0].add("one");
      await().atMost(Duration.ofSeconds(20)).until(() -> succeededAt.get() != 0);

      etcd.kill();
      succeededAt.set(0);
      queue[0].add("one");
      // Five failures in a row: the next retry is 16 s or more away.
      await().atMost(Duration.ofSeconds(60)).until(() -> failures.get() >= 5);
      long back = System.nanoTime();
      etcd.startAgain();

      await().atMost(Duration.ofSeconds(10)).until(() -> succeededAt.get() != 0);
      assertThat(Duration.ofNanos(succeededAt.get() - back))
          .as("the reconcile ran again soon after etcd came back, not after its 16 s backoff")
          .isLessThan(Duration.ofSeconds(10));
    } finally {
      queue[0].stop();
      recovery.close();
    }
  }
}
