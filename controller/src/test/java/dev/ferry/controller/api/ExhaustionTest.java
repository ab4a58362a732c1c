package dev.ferry.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.ferry.testing.HostileManifests;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an attacker with a socket tries against the API server to wear it out: bodies sent
 * without a token, connections left half-open, watches opened without end. Each is refused
 * early, says why, and writes nothing.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExhaustionTest {

  @RegisterExtension
  static final ApiFixture api = ApiFixture.withOwnEtcd(ApiServerOptions.defaults().withListen("127.0.0.1", 0)
        .withIdleTimeout(Duration.ofSeconds(2)).withMaxWatches(3, 2));

  @Test
  void aLargeBodyWithoutATokenIsRefusedForTheTokenNotItsSize() {
    long before = api.revision();

    HttpResponse<String> refused = api.send("PUT", "/apis/ferry/v1/statefulapps/target", null,
        HostileManifests.APP + "# " + "x".repeat(2 * 1024 * 1024) + "\n");

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
    assertThat(refused.body()).contains("\"reason\":\"Unauthorized\"");
    assertThat(api.revision()).isEqualTo(before);
  }

  @Test
  void aBodyThatNeverComesIsNotWaitedForWithoutAToken() throws IOException {
    long before = api.revision();
    try (Socket socket = new Socket("127.0.0.1", api.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("PUT /apis/ferry/v1/statefulapps/target HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: application/yaml\r\nContent-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

      String answer = readSome(socket.getInputStream());

      assertThat(answer).startsWith("HTTP/1.1 401").contains("Unauthorized");
    }
    assertThat(api.revision()).isEqualTo(before);
  }

  @Test
  void aConnectionThatStopsHalfWayThroughItsHeadersIsClosed() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", api.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /apis/ferry/v1/statefulapps HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      long started = System.nanoTime();

      int read = socket.getInputStream().read();

      assertThat(read).as("the server closed the connection").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    }
  }

  @Test
  void watchesPastTheCapsAreRefusedSayingWhy() throws Exception {
    List<WatchClient> open = new ArrayList<>();
    try {
      open.add(WatchClient.open(api, "kind=statefulapps", ApiFixture.VIEW));
      open.add(WatchClient.open(api, "kind=statefulapps", ApiFixture.VIEW));

      HttpResponse<String> thirdOfBob = refusedWatch(ApiFixture.VIEW);
      assertThat(thirdOfBob.statusCode()).isEqualTo(429);
      assertThat(thirdOfBob.body()).contains("\"reason\":\"TooManyRequests\"").contains("user bob has 2 watches open");

      open.add(WatchClient.open(api, "kind=statefulapps", ApiFixture.ADMIN));
      HttpResponse<String> fourth = refusedWatch(ApiFixture.EDIT);
      assertThat(fourth.statusCode()).isEqualTo(429);
      assertThat(fourth.body()).contains("has 3 watches open, the most it serves");

      open.remove(0).close();
      await().atMost(Duration.ofSeconds(10)).until(() -> tryWatch(ApiFixture.EDIT));
    } finally {
      open.forEach(WatchClient::close);
    }
  }

  private static HttpResponse<String> refusedWatch(String token) throws Exception {
    ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> HttpClient.newHttpClient()
        .newWebSocketBuilder().header("Authorization", "Bearer " + token)
        .buildAsync(URI.create("ws://127.0.0.1:" + api.port() + "/apis/ferry/v1/watch?kind=statefulapps"),
            new WebSocket.Listener() {})
        .get(20, TimeUnit.SECONDS));
    assertThat(e).as("refused").isNotNull();
    assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
    @SuppressWarnings("unchecked")
    HttpResponse<String> response = (HttpResponse<String>) ((WebSocketHandshakeException) e.getCause()).getResponse();
    return response;
  }

  /** Whether a watch opens now (and closes it again). */
  private static boolean tryWatch(String token) {
    try (WatchClient client = WatchClient.open(api, "kind=statefulapps", token)) {
      return client != null;
    } catch (IllegalStateException refused) {
      return false;
    }
  }

  /** What the server sends until it pauses or closes (enough for a status line and a small body). */
  private static String readSome(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    int n = in.read(buffer);
    return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
  }
}
