package dev.ferry.controller.marathon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Marathon whose event stream goes silent without closing (its host gone without a FIN, a cut
 * link: half-open) must not leave the controller deaf: the stream is taken for dead and opened
 * again, and each reconnect tells the controller to resync.
 */
class MarathonEventStreamTest {

  private Vertx vertx;
  private HttpServer silent;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void startASilentMarathon() {
    vertx = Vertx.vertx();
    // Answers the stream's headers, then never writes another byte and never closes.
    silent = vertx.createHttpServer().requestHandler(request -> {
      requests.incrementAndGet();
      request.response().setChunked(true).putHeader("Content-Type", "text/event-stream").setStatusCode(200);
      request.response().writeHead();
    }).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aStreamThatGoesSilentIsOpenedAgainAndTheControllerResyncs() {
    AtomicInteger connects = new AtomicInteger();
    URI base = URI.create("http://127.0.0.1:" + silent.actualPort());
    try (MarathonEventStream stream = new MarathonEventStream(vertx, () -> base, Optional.empty(), e -> { },
        connects::incrementAndGet, Duration.ofSeconds(1)).start()) {
      await().atMost(Duration.ofSeconds(15)).until(() -> connects.get() >= 3);
    }
    assertThat(requests.get()).as("each reconnect is a new request to Marathon").isGreaterThanOrEqualTo(3);
  }

  @Test
  void theDefaultIdleTimeoutIsBoundedSoAHalfOpenStreamIsNotKeptForHours() {
    assertThat(MarathonEventStream.IDLE_TIMEOUT).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5));
  }
}
