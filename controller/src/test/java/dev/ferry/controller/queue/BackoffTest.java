package dev.ferry.controller.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @ParameterizedTest(name = "failure {0} waits {1} ms")
  @CsvSource({"0, 0", "1, 5", "2, 10", "3, 20", "10, 2560", "16, 163840", "17, 300000", "100, 300000", "2147483647, 300000"})
  void doublesFromFiveMillisecondsToFiveMinutes(int failures, long millis) {
    assertThat(Backoff.DEFAULT.delay(failures)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void refusesAMaxBelowTheInitialDelay() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tokenBucketLetsABurstThroughThenPacesIt() {
    AtomicLong now = new AtomicLong();
    TokenBucket bucket = new TokenBucket(10, 3, now::get);

    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(100));
    assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(200));

    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(bucket.reserve()).isZero();
  }
}
