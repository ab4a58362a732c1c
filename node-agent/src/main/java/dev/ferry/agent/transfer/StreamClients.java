package dev.ferry.agent.transfer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The HTTP clients that carry streams: each stream has a client (and so a connection) to itself,
 * and a client is used again only once its last stream's connection is closed.
 *
 * <p>Why a client of its own: a target may answer a stream (a refusal, or {@code zfs receive}
 * done) before the request has ended, and Vert.x 5.0 then hands the half-written connection to
 * the next request of the same client, which fails in the HTTP encoder. Why used again rather than
 * closed: Vert.x 5.0 keeps every client it created reachable after {@code close()} (the client
 * stays registered with its owner's close future, eclipse-vertx/vert.x#6268, still so in 5.0.7),
 * and over TLS each holds its own SSL context and sessions, about 23 KiB, so a client per stream
 * grew an agent's heap with every transfer. Here the clients number at most the streams that ran
 * at the same time, and a stream also skips building an SSL context from the PEM files.
 */
final class StreamClients {

  private final Vertx vertx;
  private final HttpClientOptions options;
  private final Deque<HttpClient> idle = new ConcurrentLinkedDeque<>();
  private final Set<HttpClient> all = ConcurrentHashMap.newKeySet();

  StreamClients(Vertx vertx, HttpClientOptions options) {
    this.vertx = vertx;
    this.options = new HttpClientOptions(options);
  }

  /** A client no stream is using, with no connection open. */
  HttpClient take() {
    HttpClient client = idle.poll();
    if (client == null) {
      client = vertx.createHttpClient(options);
      all.add(client);
    }
    return client;
  }

  /**
   * Gives back a client taken for one stream, once {@code connection} (the stream's, or null when
   * none was opened) is closed: a half-written connection can never reach another stream.
   *
   * @return completes once the client is there for the next stream
   */
  Future<Void> give(HttpClient client, HttpConnection connection) {
    if (connection == null) {
      idle.push(client);
      return Future.succeededFuture();
    }
    return connection.close().transform(ar -> {
      idle.push(client);
      return Future.succeededFuture();
    });
  }

  /** How many clients were created: the most streams that ran at the same time. */
  int created() {
    return all.size();
  }

  /** Closes every client, streams under way included. */
  Future<Void> close() {
    idle.clear();
    return Future.join(all.stream().map(HttpClient::close).toList()).mapEmpty();
  }
}
