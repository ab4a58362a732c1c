package dev.ferry.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bucket's arithmetic on an injected clock: no sleeping, no timing. */
class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  /** One step: advance the clock, then reserve (or charge) bytes; the wait the bucket answers. */
  private record Step(long advanceNanos, long bytes, boolean charge, long expectedWaitNanos) {
    static Step reserve(long advanceNanos, long bytes, long expectedWaitNanos) {
      return new Step(advanceNanos, bytes, false, expectedWaitNanos);
    }

    static Step charge(long advanceNanos, long bytes) {
      return new Step(advanceNanos, bytes, true, 0);
    }
  }

  private record Case(String name, long rate, long burst, List<Step> steps) {}

  private static final List<Case> CASES = List.of(
      new Case("a full bucket lets its burst through at once", 1000, 500, List.of(
          Step.reserve(0, 500, 0))),
      new Case("one byte past the burst waits for that byte", 1000, 500, List.of(
          Step.reserve(0, 501, SECOND / 1000))),
      new Case("more than the burst goes into debt and waits until it is repaid", 1000, 500, List.of(
          Step.reserve(0, 2500, 2 * SECOND))),
      new Case("later callers wait behind the debt (the sum is capped, not each stream)", 1000, 500, List.of(
          Step.reserve(0, 500, 0),
          Step.reserve(0, 500, SECOND / 2),
          Step.reserve(0, 500, SECOND))),
      new Case("it refills at the rate", 1000, 500, List.of(
          Step.reserve(0, 500, 0),
          Step.reserve(250 * MS, 250, 0),
          Step.reserve(0, 1, SECOND / 1000))),
      new Case("it never holds more than the burst, however long it was idle", 1000, 500, List.of(
          Step.reserve(3600 * SECOND, 1500, SECOND))),
      new Case("debt is repaid by time: after waiting, the next chunk finds an empty bucket", 1000, 500, List.of(
          Step.reserve(0, 1500, SECOND),
          Step.reserve(SECOND, 100, 100 * MS))),
      new Case("a charge never waits but the next reservation pays for it", 1000, 500, List.of(
          Step.charge(0, 10_000),
          Step.reserve(0, 500, 10 * SECOND))),
      new Case("a charge within the bucket costs later callers nothing", 1000, 500, List.of(
          Step.charge(0, 200),
          Step.reserve(0, 300, 0))),
      new Case("zero bytes never wait", 1000, 500, List.of(
          Step.reserve(0, 500, 0),
          Step.reserve(0, 0, 0))),
      new Case("a fraction of a nanosecond rounds up", 3, 1, List.of(
          Step.reserve(0, 2, 333_333_334))),
      new Case("large rates keep their precision", 50L << 20, 50L << 18, List.of(
          Step.reserve(0, 50L << 18, 0),
          Step.reserve(0, 50L << 20, SECOND),
          Step.reserve(SECOND, 256 * 1024, 256 * 1024 * SECOND / (50L << 20)))));

  @Test
  void waitsAsTheTableSays() {
    for (Case c : CASES) {
      AtomicLong now = new AtomicLong(42 * SECOND);
      TokenBucket bucket = new TokenBucket(c.rate(), c.burst(), now::get);
      for (int i = 0; i < c.steps().size(); i++) {
        Step step = c.steps().get(i);
        now.addAndGet(step.advanceNanos());
        if (step.charge()) {
          bucket.charge(step.bytes());
        } else {
          assertThat(bucket.reserve(step.bytes())).as("%s, step %d", c.name(), i).isEqualTo(step.expectedWaitNanos());
        }
      }
    }
  }

  @Test
  void overAnyIntervalTheBytesLetThroughAreAtMostTheBurstPlusTheRate() {
    long rate = 1 << 20;
    long burst = 1 << 18;
    AtomicLong now = new AtomicLong();
    TokenBucket bucket = new TokenBucket(rate, burst, now::get);
    // Three streams of 256 KiB chunks, each sending its chunk when the bucket says it may.
    long[] readyAt = new long[3];
    long sent = 0;
    for (int chunk = 0; chunk < 300; chunk++) {
      int stream = chunk % 3;
      now.set(Math.max(now.get(), readyAt[stream]));
      long wait = bucket.reserve(256 * 1024);
      readyAt[stream] = now.get() + wait;
      sent += 256 * 1024;
      long releasedBy = readyAt[stream];
      assertThat(sent).as("bytes released by %d ns", releasedBy).isLessThanOrEqualTo(burst + rate * releasedBy / SECOND + 1);
    }
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new TokenBucket(0, 1, () -> 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(1, 0, () -> 0)).isInstanceOf(IllegalArgumentException.class);
    TokenBucket bucket = new TokenBucket(1, 1, () -> 0);
    assertThatThrownBy(() -> bucket.reserve(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCapIsUnlimitedAtZeroAndItsBurstCoversTwoChunks() {
    assertThat(TransferCap.bytesPerSecond(0).bytesPerSecond()).isZero();
    assertThat(TransferCap.bytesPerSecond(0)).isSameAs(TransferCap.unlimited());
    assertThat(TransferCap.burst(1024)).isEqualTo(2L * InputStreamReadStream.CHUNK);
    assertThat(TransferCap.burst(400L << 20)).isEqualTo(100L << 20);
    assertThatThrownBy(() -> TransferCap.bytesPerSecond(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
