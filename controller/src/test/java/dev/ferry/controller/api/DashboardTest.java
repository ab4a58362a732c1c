package dev.ferry.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.EtcdExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard's files at /ui/ (open, with strict security headers) and the browser's way into
 * the watch: the token as a WebSocket subprotocol, never from a query string.
 */
class DashboardTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  static ApiFixture api;

  @BeforeAll
  static void start() {
    api = ApiFixture.start(etcd.config());
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void servesThePageWithoutATokenAndWithStrictSecurityHeaders() {
    HttpResponse<String> page = api.send("GET", "/ui/", null, null);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script src=\"dashboard.js\" defer></script>", "Sign in");
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
        "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
  }

  @Test
  void servesTheScriptAndStyleSheetWithTheirTypesAndTheSameHeaders() {
    HttpResponse<String> script = api.send("GET", "/ui/dashboard.js", null, null);
    HttpResponse<String> style = api.send("GET", "/ui/dashboard.css", null, null);

    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(script.headers().firstValue("Content-Security-Policy")).hasValue(DashboardRoute.CONTENT_SECURITY_POLICY);
    assertThat(script.body()).contains("sessionStorage", "ferry.bearer.");
    assertThat(style.statusCode()).isEqualTo(200);
    assertThat(style.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    assertThat(style.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void thePageHasNoInlineScriptOrStyleThePolicyWouldBlock() {
    String page = api.send("GET", "/ui/", null, null).body();

    assertThat(page).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
    assertThat(page).doesNotContainPattern("\\sstyle=").doesNotContainPattern("<style").doesNotContainPattern("\\son[a-z]+=");
  }

  @Test
  void redirectsUiToItsDirectoryAndAnswers404ForAnyOtherFile() {
    HttpResponse<String> bare = api.send("GET", "/ui", null, null);
    assertThat(bare.statusCode()).isEqualTo(301);
    assertThat(bare.headers().firstValue("Location")).hasValue("/ui/");

    HttpResponse<String> missing = api.send("GET", "/ui/secrets.txt", null, null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Security-Policy")).isPresent();
    // A path that climbs out of /ui/ is not a dashboard file: it needs a token like any other.
    assertThat(api.send("GET", "/ui/%2e%2e/version", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void aWatchWithoutATokenIsRefused() {
    assertThat(handshakeStatus(List.of(BearerAuth.SUBPROTOCOL), "kind=nodes")).isEqualTo(401);
  }

  @Test
  void aViewTokenOfferedAsASubprotocolWatches() throws Exception {
    Frames frames = new Frames();
    WebSocket socket = watch(List.of(BearerAuth.SUBPROTOCOL, tokenProtocol(ApiFixture.VIEW)), "kind=nodes,statefulapps", frames);
    try {
      // The server answers its own subprotocol, never the one that carries the token.
      assertThat(socket.getSubprotocol()).isEqualTo(BearerAuth.SUBPROTOCOL);
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> frames.text.stream().filter(f -> f.contains("\"SYNCED\"")).count() == 2);
    } finally {
      socket.abort();
    }
  }

  @Test
  void aWrongOrUnreadableTokenSubprotocolIsRefused() {
    assertThat(handshakeStatus(List.of(BearerAuth.SUBPROTOCOL, tokenProtocol("not-a-token")), "kind=nodes")).isEqualTo(401);
    assertThat(handshakeStatus(List.of(BearerAuth.SUBPROTOCOL, "ferry.bearer.!!!"), "kind=nodes")).isEqualTo(401);
  }

  @Test
  void aMetricsTokenOfferedAsASubprotocolMayNotWatch() {
    assertThat(handshakeStatus(List.of(BearerAuth.SUBPROTOCOL, tokenProtocol(ApiFixture.METRICS)), "kind=nodes")).isEqualTo(403);
  }

  @Test
  void aTokenInTheQueryStringIsNeverAccepted() {
    for (String query : List.of("access_token=", "token=", "bearer=", "authorization=Bearer%20")) {
      assertThat(handshakeStatus(List.of(BearerAuth.SUBPROTOCOL), "kind=nodes&" + query + ApiFixture.VIEW))
          .as(query).isEqualTo(401);
      assertThat(api.send("GET", "/version?" + query + ApiFixture.VIEW, null, null).statusCode()).as(query).isEqualTo(401);
    }
  }

  @Test
  void theTokenSubprotocolCountsOnlyOnAWebSocketUpgrade() {
    HttpResponse<String> plain = sendWithHeader("/version", "Sec-WebSocket-Protocol", tokenProtocol(ApiFixture.VIEW));

    assertThat(plain.statusCode()).isEqualTo(401);
  }

  static String tokenProtocol(String token) {
    return BearerAuth.TOKEN_SUBPROTOCOL
        + Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }

  /** The HTTP status the server refused a watch's handshake with. */
  private static int handshakeStatus(List<String> protocols, String query) {
    WebSocket opened;
    try {
      opened = watch(protocols, query, new Frames());
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    opened.abort();
    throw new AssertionError("the watch opened");
  }

  private static WebSocket watch(List<String> protocols, String query, Frames frames) throws Exception {
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
    List<String> rest = new ArrayList<>(protocols.subList(1, protocols.size()));
    builder.subprotocols(protocols.get(0), rest.toArray(String[]::new));
    return builder.buildAsync(URI.create("ws://127.0.0.1:" + api.port() + "/apis/ferry/v1/watch?" + query), frames)
        .get(20, TimeUnit.SECONDS);
  }

  private static HttpResponse<String> sendWithHeader(String path, String header, String value) {
    try {
      return HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(api.url() + path))
          .header(header, value).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Collects the text frames. */
  private static final class Frames implements WebSocket.Listener {
    final List<String> text = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        text.add(partial.toString());
        partial.setLength(0);
      }
      socket.request(1);
      return CompletableFuture.completedFuture(null);
    }
  }
}
