package dev.ferry.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.agent.metrics.TransferBytes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transfer byte counters move while a stream flows, not only when it ends. */
class TransferBytesTest {

  static final Duration EVENTUALLY = Duration.ofSeconds(60);

  final Vertx vertx = Vertx.vertx();
  final TransferBytes counted = TransferBytes.register(new SimpleMeterRegistry());

  @AfterEach
  void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void receivedBytesAreCountedBeforeTheStreamEnds() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStreamWriteStream stream = new OutputStreamWriteStream(vertx.getOrCreateContext(), out,
        counted.received()::increment);

    stream.write(Buffer.buffer(new byte[3000]));
    stream.write(Buffer.buffer(new byte[1000]));

    await().atMost(EVENTUALLY).until(() -> counted.received().count() == 4000);
    assertThat(counted.sent().count()).isZero();
    stream.end().await(20, TimeUnit.SECONDS);
    assertThat(out.size()).isEqualTo(4000);
  }

  @Test
  void sentBytesAreCountedBeforeTheStreamEnds() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    // One chunk of the stream, then a wait: the count must show that chunk while the send still runs.
    InputStream in = new SequenceInputStream(new ByteArrayInputStream(new byte[InputStreamReadStream.CHUNK]),
        new InputStream() {
      @Override
      public int read() {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return -1;
      }
    });
    InputStreamReadStream stream = new InputStreamReadStream(vertx.getOrCreateContext(), in, () -> { },
        counted.sent()::increment);
    stream.handler(chunk -> { });

    await().atMost(EVENTUALLY).until(() -> counted.sent().count() == InputStreamReadStream.CHUNK);
    release.countDown();
    assertThat(counted.received().count()).isZero();
  }
}
