package dev.ferry.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A test's watch client: records every frame. A {@link #slow} client reads one frame and then
 * nothing more until {@link #catchUp}, so the server's buffer for it fills.
 */
public final class WatchClient implements WebSocket.Listener, AutoCloseable {

  public final List<JsonNode> frames = new CopyOnWriteArrayList<>();
  final CompletableFuture<String> closed = new CompletableFuture<>();
  private final boolean slow;
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  private WatchClient(boolean slow) {
    this.slow = slow;
  }

  static WatchClient open(ApiFixture api, String query) {
    return connect(api, query, false, ApiFixture.VIEW);
  }

  public static WatchClient open(ApiFixture api, String query, String token) {
    return connect(api, query, false, token);
  }

  static WatchClient slow(ApiFixture api, String query) {
    return connect(api, query, true, ApiFixture.VIEW);
  }

  private static WatchClient connect(ApiFixture api, String query, boolean slow, String token) {
    WatchClient client = new WatchClient(slow);
    try {
      client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .header("Authorization", "Bearer " + token)
          .buildAsync(URI.create("ws://127.0.0.1:" + api.port() + "/apis/ferry/v1/watch?" + query), client)
          .get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot open the watch", e);
    }
    return client;
  }

  /** "TYPE name" of each object frame. */
  List<String> seen() {
    return frames.stream().filter(f -> f.has("object"))
        .map(f -> f.path("type").asText() + " " + f.at("/object/metadata/name").asText()).toList();
  }

  List<String> types() {
    return frames.stream().map(f -> f.path("type").asText()).toList();
  }

  void catchUp() {
    socket.request(Long.MAX_VALUE);
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(slow ? 1 : Long.MAX_VALUE);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      try {
        frames.add(Json.json().readTree(partial.toString()));
      } catch (Exception e) {
        throw new IllegalStateException("not a JSON frame: " + partial, e);
      }
      partial.setLength(0);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode + " " + reason);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete("error " + error);
  }

  @Override
  public void close() {
    socket.abort();
  }
}
