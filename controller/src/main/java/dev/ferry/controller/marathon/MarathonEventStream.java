package dev.ferry.controller.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.controller.queue.Backoff;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import dev.ferry.controller.discovery.Urls;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Marathon's {@code /v2/events} (Server-Sent Events) for as long as it runs, reconnecting
 * with backoff when the stream ends or fails. Each time it (re)connects it calls
 * {@code onConnected}: events may have been missed, so whoever caches Marathon's state must
 * forget it then. Events arrive on the stream's Vert.x context.
 *
 * <p>A stream that stays silent for {@link #IDLE_TIMEOUT} is taken for dead and reconnected:
 * Marathon sends no heartbeats, and a half-open connection (the server's host gone without a
 * FIN, a cut link) would otherwise stay open for hours while every event is lost. A quiet but
 * healthy Marathon costs a reconnect (and a resync) per timeout.
 */
public final class MarathonEventStream implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MarathonEventStream.class);
  private static final Backoff RECONNECT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
  /** How long the stream may stay silent before it is taken for dead. */
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(120);

  private final Vertx vertx;
  private final HttpClient client;
  private final Supplier<URI> base;
  private final Handler<MarathonEvent> onEvent;
  private final Runnable onConnected;
  private final Optional<MarathonCredentials> credentials;
  private int failures;
  private volatile boolean closed;

  /** Follows a Marathon without authentication. */
  public MarathonEventStream(Vertx vertx, URI base, Handler<MarathonEvent> onEvent, Runnable onConnected) {
    this(vertx, () -> base, Optional.empty(), onEvent, onConnected);
  }

  /**
   * Follows whichever Marathon {@code base} names at each (re)connect (a new leader after the old
   * one's stream ended), sending {@code credentials} when given. {@link MarathonClient#events}
   * makes one with the client's base and credentials.
   */
  public MarathonEventStream(Vertx vertx, Supplier<URI> base, Optional<MarathonCredentials> credentials,
      Handler<MarathonEvent> onEvent, Runnable onConnected) {
    this(vertx, base, credentials, onEvent, onConnected, IDLE_TIMEOUT);
  }

  /** As above, taking the stream for dead after {@code idleTimeout} (whole seconds, at least 1) of silence. */
  public MarathonEventStream(Vertx vertx, Supplier<URI> base, Optional<MarathonCredentials> credentials,
      Handler<MarathonEvent> onEvent, Runnable onConnected, Duration idleTimeout) {
    this.vertx = vertx;
    this.base = base;
    this.credentials = credentials;
    this.onEvent = onEvent;
    this.onConnected = onConnected;
    this.client = vertx.createHttpClient(new HttpClientOptions()
        .setIdleTimeout((int) Math.max(1, idleTimeout.toSeconds())).setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setConnectTimeout(5_000));
  }

  /** Starts following the stream. */
  public MarathonEventStream start() {
    connect();
    return this;
  }

  private void connect() {
    if (closed) {
      return;
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
        .setAbsoluteURI(Urls.under(base.get(), "/v2/events")).putHeader("Accept", "text/event-stream");
    credentials.ifPresent(c -> options.putHeader("Authorization", c.authorization()));
    client.request(options)
        .compose(req -> req.send())
        .onSuccess(response -> {
          if (response.statusCode() != 200) {
            response.body().onComplete(b -> retry("Marathon answered " + response.statusCode()));
            return;
          }
          failures = 0;
          onConnected.run();
          RecordParser frames = RecordParser.newDelimited("\n\n", this::frame);
          response.handler(frames);
          response.exceptionHandler(e -> retry(e.getMessage()));
          response.endHandler(v -> retry("the stream ended"));
        })
        .onFailure(e -> retry(e.getMessage()));
  }

  private void retry(String why) {
    if (closed) {
      return;
    }
    failures++;
    Duration wait = RECONNECT.delay(failures);
    LOG.warn("Marathon's event stream at {}: {}; reconnecting in {} ms", base.get(), why, wait.toMillis());
    vertx.setTimer(Math.max(1, wait.toMillis()), t -> connect());
  }

  private void frame(Buffer buffer) {
    String type = "message";
    StringBuilder data = new StringBuilder();
    for (String line : buffer.toString().split("\r?\n")) {
      if (line.startsWith("event:")) {
        type = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5).trim());
      }
    }
    if (data.length() == 0) {
      return;
    }
    try {
      JsonNode json = Json.json().readTree(data.toString());
      onEvent.handle(new MarathonEvent(type, json));
    } catch (IOException e) {
      LOG.warn("Marathon sent an event that is not JSON ({}): {}", type, e.getMessage());
    }
  }

  @Override
  public void close() {
    closed = true;
    client.close();
  }
}
