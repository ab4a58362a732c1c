package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Kind;
import dev.ferry.api.tls.SslContexts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;
import javax.net.ssl.SSLHandshakeException;

/**
 * The API as ferryctl sees it, over Java's HttpClient (REST and the watch WebSocket): every
 * call answers the JSON body, or throws {@link ApiException} with the server's error, or
 * {@link CliException} when the server cannot be reached.
 */
final class FerryClient {

  private static final String BASE = "/apis/ferry/v1/";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Target target;
  private final HttpClient http;

  FerryClient(Target target) {
    this.target = target;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (target.insecure()) {
      builder.sslContext(SslContexts.trustingAnyServer());
    } else if (target.certificateAuthority().isPresent()) {
      try {
        builder.sslContext(SslContexts.trusting(target.certificateAuthority().get()));
      } catch (IllegalArgumentException e) {
        throw new CliException("certificate-authority: " + e.getMessage());
      }
    }
    this.http = builder.build();
  }

  /** An answer: status, what the write did (Ferry-Outcome) and the body. */
  record Answer(int status, String outcome, JsonNode body) {}

  Optional<JsonNode> get(Kind<?, ?, ?> kind, String name) {
    Answer answer = send("GET", BASE + kind.plural() + "/" + encode(name), Optional.empty(), s -> s == 200 || s == 404);
    return answer.status() == 404 ? Optional.empty() : Optional.of(answer.body());
  }

  /** Pages of this many objects unless asked otherwise, as kubectl's {@code --chunk-size}. */
  static final int DEFAULT_CHUNK_SIZE = 500;

  /** Every object of a kind that matches, read in pages of {@link #DEFAULT_CHUNK_SIZE}: see {@link #list(Kind, String, int)}. */
  JsonNode list(Kind<?, ?, ?> kind, String selector) {
    return list(kind, selector, DEFAULT_CHUNK_SIZE);
  }

  /**
   * Every object of a kind that matches, as one list: read page by page ({@code ?limit=chunkSize},
   * 0 for the server's own page size), following {@code metadata.continue} until the last. All
   * pages are one snapshot, at the list's {@code metadata.resourceVersion}; if the server
   * compacted it meanwhile the list fails (410), as kubectl's does.
   */
  JsonNode list(Kind<?, ?, ?> kind, String selector, int chunkSize) {
    String query = (selector.isEmpty() ? "" : "&labelSelector=" + encode(selector))
        + (chunkSize > 0 ? "&limit=" + chunkSize : "");
    ObjectNode whole = null;
    ArrayNode items = Json.json().createArrayNode();
    String next = "";
    do {
      String params = query + (next.isEmpty() ? "" : "&continue=" + encode(next));
      JsonNode page = send("GET", BASE + kind.plural() + (params.isEmpty() ? "" : "?" + params.substring(1)),
          Optional.empty(), s -> s == 200).body();
      if (whole == null) {
        whole = page.deepCopy();
      }
      page.path("items").forEach(items::add);
      String after = page.at("/metadata/continue").asText("");
      if (!after.isEmpty() && after.equals(next)) {
        throw new CliException("the server answered the same continue token twice: " + kind.plural() + " cannot be listed");
      }
      next = after;
    } while (!next.isEmpty());
    whole.set("items", items);
    ((ObjectNode) whole.path("metadata")).remove(List.of("continue", "remainingItemCount"));
    return whole;
  }

  Answer apply(Kind<?, ?, ?> kind, String name, String body, boolean dryRun) {
    return send("PUT", BASE + kind.plural() + "/" + encode(name) + (dryRun ? "?dryRun=true" : ""), Optional.of(body),
        s -> s == 200 || s == 201);
  }

  Answer delete(Kind<?, ?, ?> kind, String name, boolean dryRun) {
    return send("DELETE", BASE + kind.plural() + "/" + encode(name) + (dryRun ? "?dryRun=true" : ""), Optional.empty(),
        s -> s == 200 || s == 202);
  }

  /** Syncs the GitSource {@code name} now; answers it with the status that sync wrote. */
  JsonNode syncGitSource(String name) {
    return send("POST", BASE + Kind.GIT_SOURCE.plural() + "/" + encode(name) + "/sync", Optional.of(""), s -> s == 200).body();
  }

  JsonNode version() {
    return send("GET", "/version", Optional.empty(), s -> s == 200).body();
  }

  /**
   * Opens the watch and returns its frames in a queue; a closed socket adds a frame
   * {@code {"type":"CLOSED","code":..,"reason":..}}.
   */
  Watch watch(String query) {
    BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    URI uri = URI.create(target.server().replaceFirst("^http", "ws") + BASE + "watch?" + query);
    WebSocket.Builder builder = http.newWebSocketBuilder();
    target.token().ifPresent(t -> builder.header("Authorization", "Bearer " + t));
    try {
      WebSocket socket = builder.buildAsync(uri, new Frames(frames)).join();
      return new Watch(socket, frames);
    } catch (RuntimeException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof SSLHandshakeException) {
          throw new CliException(untrusted(e));
        }
      }
      throw new CliException("cannot watch " + target.server() + ": " + rootMessage(e));
    }
  }

  /** An open watch: take frames from {@link #frames}; close when done. */
  record Watch(WebSocket socket, BlockingQueue<JsonNode> frames) implements AutoCloseable {
    @Override
    public void close() {
      socket.abort();
    }
  }

  private Answer send(String method, String path, Optional<String> body, Predicate<Integer> expected) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.server() + path)).timeout(TIMEOUT)
        .method(method, body.map(HttpRequest.BodyPublishers::ofString).orElse(HttpRequest.BodyPublishers.noBody()));
    body.ifPresent(b -> request.header("Content-Type", "application/json"));
    target.token().ifPresent(t -> request.header("Authorization", "Bearer " + t));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new CliException("cannot reach the Ferry API at " + target.server()
          + ": is the controller running? (set --server, FERRY_SERVER or a context)");
    } catch (SSLHandshakeException e) {
      throw new CliException(untrusted(e));
    } catch (IOException e) {
      throw new CliException("request to " + target.server() + " failed: " + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    JsonNode json = parse(response);
    if (!expected.test(response.statusCode())) {
      throw new ApiException(response.statusCode(), json);
    }
    return new Answer(response.statusCode(), response.headers().firstValue("Ferry-Outcome").orElse(""), json);
  }

  private static JsonNode parse(HttpResponse<String> response) {
    try {
      return Json.json().readTree(response.body().isEmpty() ? "{}" : response.body());
    } catch (IOException e) {
      throw new CliException("the server answered " + response.statusCode() + " with something that is not JSON");
    }
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private String untrusted(Throwable e) {
    return "cannot trust the Ferry API at " + target.server() + " (" + rootMessage(e) + "): give the CA that issued"
        + " its certificate as the context's certificate-authority or --certificate-authority FILE"
        + " (--insecure-skip-tls-verify trusts any server)";
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  private static final class Frames implements WebSocket.Listener {
    private final BlockingQueue<JsonNode> frames;
    private final StringBuilder partial = new StringBuilder();

    Frames(BlockingQueue<JsonNode> frames) {
      this.frames = frames;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          frames.add(Json.json().readTree(partial.toString()));
        } catch (IOException e) {
          frames.add(Json.json().createObjectNode().put("type", "CLOSED").put("reason", "a frame was not JSON"));
        }
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
      frames.add(Json.json().createObjectNode().put("type", "CLOSED").put("code", code).put("reason", reason));
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      frames.add(Json.json().createObjectNode().put("type", "CLOSED").put("reason", rootMessage(error)));
    }
  }
}
