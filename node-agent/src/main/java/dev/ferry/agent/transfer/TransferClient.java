package dev.ferry.agent.transfer;

import dev.ferry.agent.metrics.TransferBytes;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.StreamingProcess;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsException;
import dev.ferry.api.model.Snapshot;
import dev.ferry.api.tls.TlsFiles;
import dev.ferry.api.tls.VertxTls;
import dev.ferry.api.codec.Json;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The sending end of agent-to-agent transfers: pipes {@code zfs send} into {@code POST
 * /v1/transfers/{dataset}} on the target node, with back-pressure from the network down to the
 * {@code zfs send} process, and reports progress once a second.
 *
 * <p>The source is only read: whatever happens to the transfer, the source dataset is as it was.
 * If the stream cannot be completed (the send fails, the connection drops) the request is reset
 * rather than ended, so the target never takes a truncated stream for a whole one.
 */
public final class TransferClient {

  private static final int CONNECT_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final ZfsDriver zfs;
  private final TransferBytes counted;
  private final HttpClientOptions options;
  private final HttpClient http;
  private final Set<HttpClient> streams = ConcurrentHashMap.newKeySet();

  /**
   * @param localAddress the address to send from (the node's own address), or empty for any
   * @param counted where the bytes sent are counted as they stream
   */
  public TransferClient(Vertx vertx, ZfsDriver zfs, String localAddress, TransferBytes counted) {
    this(vertx, zfs, localAddress, counted, Optional.empty());
  }

  /**
   * @param tls when given, every call is HTTPS to a server the cluster CA issued a certificate
   *     for under the address called, presenting this agent's certificate (mutual TLS)
   */
  public TransferClient(Vertx vertx, ZfsDriver zfs, String localAddress, TransferBytes counted, Optional<TlsFiles> tls) {
    this.vertx = vertx;
    this.counted = counted;
    this.zfs = zfs;
    // A target that does not answer a connection within 10 s is unreachable (a cut path drops the
    // SYN silently); the round fails with that reason and the controller retries it with backoff.
    this.options = new HttpClientOptions().setIdleTimeout(60).setKeepAlive(false).setConnectTimeout(CONNECT_TIMEOUT_MS);
    tls.ifPresent(files -> VertxTls.client(options, files));
    if (!localAddress.isEmpty()) {
      options.setLocalAddress(localAddress);
    }
    this.http = vertx.createHttpClient(options);
  }

  private record Prepared(Snapshot snapshot, OptionalLong expectedBytes, StreamingProcess process) {}

  /**
   * Sends one stream and completes once the target confirmed that it holds the snapshot.
   *
   * @return fails with {@link TransferRefusedException} when the target refused or failed the
   *     stream (its status, reason and message), with {@link ZfsException} when the send failed
   */
  public Future<TransferResult> send(TransferRequest request, Consumer<TransferProgress> progress) {
    Context context = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> prepare(request), false).compose(prepared -> {
      InputStreamReadStream body = new InputStreamReadStream(context, prepared.process().output(),
          prepared.process()::awaitSuccess, counted.sent()::increment);
      ProgressReporter reporter = new ProgressReporter(vertx, request.dataset().value(), body::bytes, progress);
      return post(request, prepared, body)
          .compose(answer -> answer(answer, prepared.snapshot()))
          .map(guid -> new TransferResult(guid, body.bytes()))
          .onComplete(ar -> {
            reporter.stop();
            // Kills a send that is still running because the target gave up early.
            vertx.executeBlocking(() -> {
              prepared.process().close();
              return null;
            }, false);
          });
    });
  }

  private Prepared prepare(TransferRequest request) {
    Snapshot snapshot = zfs.snapshots(request.dataset()).stream()
        .filter(s -> s.name().equals(request.snapshot())).findFirst()
        .orElseThrow(() -> new ZfsException(ZfsException.Reason.NOT_FOUND,
            "dataset " + request.dataset() + " has no snapshot " + request.snapshot()));
    OptionalLong expected = request.base().isEmpty()
        ? OptionalLong.of(zfs.referencedBytes(request.dataset(), request.snapshot()))
        : zfs.estimateSendSize(request.dataset(), request.base(), request.snapshot());
    return new Prepared(snapshot, expected, zfs.send(request.dataset(), request.base(), request.snapshot()));
  }

  /** The target's answer to a stream: its status and its (small, JSON) body. */
  private record Answer(int status, Buffer body) {}

  private Future<Answer> post(TransferRequest request, Prepared prepared, InputStreamReadStream body) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(request.host())
        .setPort(request.port())
        .setURI(TransferServer.PATH_PREFIX + request.dataset().value())
        .putHeader("Authorization", TransferServer.TICKET_SCHEME + request.ticket())
        .putHeader("Content-Type", "application/octet-stream");
    prepared.expectedBytes().ifPresent(n -> options.putHeader(TransferServer.EXPECTED_BYTES, Long.toString(n)));
    // Each stream gets a client and connection of its own: a target may answer (a refusal, or
    // zfs receive done) before the request has ended, and Vert.x 5.0 then hands the half-written
    // connection to the next request, which fails in the HTTP encoder.
    HttpClient own = vertx.createHttpClient(this.options);
    streams.add(own);
    return own.request(options).compose(httpRequest -> {
      httpRequest.setChunked(true);
      // The response carries the outcome; a reset after an early answer is expected.
      httpRequest.exceptionHandler(e -> { });
      Future<Void> bodySent = body.pipe().endOnFailure(false).to(httpRequest)
          .onFailure(e -> reset(httpRequest, e));
      return httpRequest.response()
          .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b)))
          .compose(answer -> {
            if (answer.status() == 200) {
              // zfs receive can finish (and the target answer) before the last chunk is written:
              // the connection is only done once the request has ended too.
              return bodySent.map(answer);
            }
            // A refusal before the whole stream was sent leaves the request half written: the
            // connection must go before the caller can send another request.
            if (!bodySent.isComplete()) {
              reset(httpRequest, new IllegalStateException("the target refused the stream"));
            }
            return Future.succeededFuture(answer);
          })
          .recover(e -> sendFailure(prepared, e));
    }).andThen(ar -> {
      streams.remove(own);
      own.close();
    });
  }

  private static void reset(HttpClientRequest request, Throwable cause) {
    request.reset(0, cause);
  }

  /**
   * Fails with the send's error when the connection broke because the send failed, else with the
   * connection's. Reading the send's exit status and error output blocks, so it runs on a worker
   * thread, not on the HTTP client's event loop.
   */
  private <T> Future<T> sendFailure(Prepared prepared, Throwable connectionError) {
    return vertx.executeBlocking(() -> sendError(prepared, connectionError), false)
        .transform(ar -> Future.failedFuture(ar.succeeded() ? ar.result() : ar.cause()));
  }

  /** Blocking. */
  private static Throwable sendError(Prepared prepared, Throwable connectionError) {
    if (prepared.process().isAlive()) {
      return connectionError;
    }
    try {
      prepared.process().awaitSuccess();
      return connectionError;
    } catch (ZfsException e) {
      return e;
    }
  }

  private static Future<String> answer(Answer response, Snapshot sent) {
    return Future.succeededFuture(response.body()).compose(buffer -> {
      JsonObject json = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
      if (response.status() != 200) {
        return Future.failedFuture(new TransferRefusedException(response.status(),
            json.getString("reason", "HttpError"),
            json.getString("message", "target answered " + response.status())));
      }
      String guid = json.getString("guid", "");
      if (!guid.equals(sent.guid())) {
        return Future.failedFuture(new TransferRefusedException(502, "SnapshotMismatch",
            "target reports snapshot guid " + guid + " but " + sent.name() + " has guid " + sent.guid()));
      }
      return Future.succeededFuture(guid);
    });
  }

  /**
   * The target node's snapshots of {@code dataset}, oldest first, or empty when it has no copy.
   *
   * @return fails with {@link TransferRefusedException} when the target answered with an error
   */
  public Future<Optional<List<Snapshot>>> snapshots(String host, int port, DatasetName dataset) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
        .setURI(TransferServer.DATASETS_PREFIX + dataset.value() + TransferServer.SNAPSHOTS_SUFFIX);
    return http.request(options).compose(HttpClientRequest::send).compose(response -> response.body().compose(body -> {
      if (response.statusCode() == 404) {
        return Future.succeededFuture(Optional.<List<Snapshot>>empty());
      }
      if (response.statusCode() != 200) {
        JsonObject json = body.length() == 0 ? new JsonObject() : body.toJsonObject();
        return Future.failedFuture(new TransferRefusedException(response.statusCode(),
            json.getString("reason", "HttpError"),
            "node " + host + " could not list its snapshots of " + dataset + ": "
                + json.getString("message", "it answered " + response.statusCode())));
      }
      try {
        SnapshotList list = Json.json().readValue(body.getBytes(), SnapshotList.class);
        return Future.succeededFuture(Optional.of(list.snapshots()));
      } catch (IOException e) {
        return Future.failedFuture(new TransferRefusedException(502, "BadAnswer",
            "node " + host + " answered an unreadable snapshot list: " + e.getMessage()));
      }
    }));
  }

  public Future<Void> close() {
    streams.forEach(HttpClient::close);
    return http.close();
  }
}
