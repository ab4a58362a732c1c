package dev.ferry.agent.transfer;

import dev.ferry.agent.metrics.TransferBytes;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.ResumeToken;
import dev.ferry.agent.zfs.StreamingProcess;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsException;
import dev.ferry.api.model.Snapshot;
import dev.ferry.api.tls.AgentIdentity;
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
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import dev.ferry.api.transfer.AgentRequest;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.api.transfer.TicketRejectedException;
import dev.ferry.api.transfer.TransferReceipt;
import dev.ferry.api.transfer.TransferTicket;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending end of agent-to-agent transfers: pipes {@code zfs send} into {@code POST
 * /v1/transfers/{dataset}} on the target node, with back-pressure from the network down to the
 * {@code zfs send} process, and reports progress once a second. All streams together keep under
 * the node's {@link TransferCap}, except the cut-over's final round ({@link TransferRequest#fenced}).
 *
 * <p>The source is only read: whatever happens to the transfer, the source dataset is as it was.
 * If the stream cannot be completed (the send fails, the connection drops) the request is reset
 * rather than ended, so the target never takes a truncated stream for a whole one.
 *
 * <p>Every request carries this node's {@link AgentRequest} credential, and a stream counts as
 * delivered only on the target's {@link TransferReceipt} naming the guid that was sent.
 */
public final class TransferClient {

  private static final Logger LOG = LoggerFactory.getLogger(TransferClient.class);
  private static final int CONNECT_TIMEOUT_MS = 10_000;
  /**
   * How long a stream waits in all for a busy target's receive slot ({@code 429 ReceiverBusy})
   * before its round fails; the round stays Running meanwhile. The fenced final round waits less:
   * its app is down while it waits.
   */
  static final Duration BUSY_WAIT = Duration.ofMinutes(10);
  static final Duration FENCED_BUSY_WAIT = Duration.ofSeconds(20);
  /** A target's Retry-After is taken between these: neither a busy loop nor a sleep a hostile answer chose. */
  private static final Duration SHORTEST_RETRY_AFTER = Duration.ofSeconds(1);
  private static final Duration LONGEST_RETRY_AFTER = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final ZfsDriver zfs;
  private final TransferBytes counted;
  private final ClusterKey key;
  private final AgentRequest auth;
  private final HttpClientOptions options;
  private final HttpClient http;
  private final TransferCap cap;
  private final StreamClients streams;

  /**
   * @param localAddress the address to send from (the node's own address), or empty for any
   * @param counted where the bytes sent are counted as they stream
   * @param tls when given, every call is HTTPS to a server the cluster CA issued a certificate
   *     for under the address called, presenting this agent's certificate (mutual TLS)
   * @param key the cluster key, which checks the targets' receipts
   * @param auth signs this node's requests
   * @param cap the node's cap on the bytes per second of all its streams together
   */
  public TransferClient(Vertx vertx, ZfsDriver zfs, String localAddress, TransferBytes counted, Optional<TlsFiles> tls,
      ClusterKey key, AgentRequest auth, TransferCap cap) {
    this.vertx = vertx;
    this.cap = cap;
    this.counted = counted;
    this.zfs = zfs;
    this.key = key;
    this.auth = auth;
    // A target that does not answer a connection within 10 s is unreachable (a cut path drops the
    // SYN silently); the round fails with that reason and the controller retries it with backoff.
    this.options = new HttpClientOptions().setIdleTimeout(60).setKeepAlive(false).setConnectTimeout(CONNECT_TIMEOUT_MS);
    tls.ifPresent(files -> VertxTls.client(options, files));
    if (!localAddress.isEmpty()) {
      options.setLocalAddress(localAddress);
    }
    this.http = vertx.createHttpClient(options);
    this.streams = new StreamClients(vertx, options);
  }

  private record Prepared(Snapshot snapshot, OptionalLong expectedBytes, StreamingProcess process) {}

  /**
   * Sends one stream and completes once the target confirmed that it holds the snapshot. A target
   * that is busy receiving others ({@code 429} with {@code Retry-After}, before it admitted the
   * ticket) is asked again after the time it says, with the same ticket, for up to
   * {@link #BUSY_WAIT} ({@link #FENCED_BUSY_WAIT} for the fenced round): a busy target is not a
   * failed round.
   *
   * @return fails with {@link TransferRefusedException} when the target refused or failed the
   *     stream (its status, reason and message), with {@link ZfsException} when the send failed
   */
  public Future<TransferResult> send(TransferRequest request, Consumer<TransferProgress> progress) {
    return sendUntil(request, Optional.empty(), progress);
  }

  /**
   * {@link #send(TransferRequest, Consumer)} of {@code snapshot} as the caller just read it (the
   * round that took it): its guid, which the target's receipt must name, is not listed again.
   */
  public Future<TransferResult> send(TransferRequest request, Snapshot snapshot, Consumer<TransferProgress> progress) {
    if (!snapshot.name().equals(request.snapshot())) {
      throw new IllegalArgumentException("snapshot " + snapshot.name() + " is not the request's " + request.snapshot());
    }
    return sendUntil(request, Optional.of(snapshot), progress);
  }

  private Future<TransferResult> sendUntil(TransferRequest request, Optional<Snapshot> known,
      Consumer<TransferProgress> progress) {
    Duration patience = request.fenced() ? FENCED_BUSY_WAIT : BUSY_WAIT;
    return sendUntil(request, known, progress, System.nanoTime() + patience.toNanos());
  }

  private Future<TransferResult> sendUntil(TransferRequest request, Optional<Snapshot> known,
      Consumer<TransferProgress> progress, long giveUpAt) {
    return sendOnce(request, known, progress).recover(e -> {
      if (e instanceof TransferRefusedException busy && busy.retryAfter().isPresent()) {
        Duration wait = busy.retryAfter().get();
        if (System.nanoTime() + wait.toNanos() < giveUpAt) {
          LOG.info("{} into {}: {}; sending again in {} ms", request.snapshot(), request.dataset(), busy.getMessage(),
              wait.toMillis());
          return vertx.timer(wait.toMillis()).compose(v -> sendUntil(request, known, progress, giveUpAt));
        }
      }
      return Future.failedFuture(e);
    });
  }

  private Future<TransferResult> sendOnce(TransferRequest request, Optional<Snapshot> known,
      Consumer<TransferProgress> progress) {
    Context context = vertx.getOrCreateContext();
    TransferTicket ticket;
    try {
      ticket = TransferTicket.decode(request.ticket(), key);
    } catch (TicketRejectedException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> prepare(request, known), false).compose(prepared -> {
      InputStreamReadStream body = new InputStreamReadStream(context, prepared.process().output(),
          prepared.process()::awaitSuccess, counted.sent()::increment, cap.pace(request.fenced()));
      ProgressReporter reporter = new ProgressReporter(vertx, request.dataset().value(), body::bytes, progress);
      return post(request, ticket, prepared, body)
          .compose(answer -> answer(answer, ticket, prepared.snapshot()))
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

  private Prepared prepare(TransferRequest request, Optional<Snapshot> known) {
    // A snapshot that is gone since the caller read it fails zfs send, and so the stream.
    Snapshot snapshot = known.orElseGet(() -> zfs.snapshots(request.dataset()).stream()
        .filter(s -> s.name().equals(request.snapshot())).findFirst()
        .orElseThrow(() -> new ZfsException(ZfsException.Reason.NOT_FOUND,
            "dataset " + request.dataset() + " has no snapshot " + request.snapshot())));
    if (request.resumeToken().isPresent()) {
      // What is left of the stream is not known beforehand; the target checked its space when it began.
      return new Prepared(snapshot, OptionalLong.empty(), zfs.sendResume(request.resumeToken().get()));
    }
    OptionalLong expected = request.base().isEmpty()
        ? OptionalLong.of(zfs.referencedBytes(request.dataset(), request.snapshot()))
        : zfs.estimateSendSize(request.dataset(), request.base(), request.snapshot());
    return new Prepared(snapshot, expected, zfs.send(request.dataset(), request.base(), request.snapshot()));
  }

  /** The target's answer to a stream: its status, its (small, JSON) body and when to ask again, if busy. */
  private record Answer(int status, Buffer body, Optional<Duration> retryAfter) {}

  private Future<Answer> post(TransferRequest request, TransferTicket ticket, Prepared prepared,
      InputStreamReadStream body) {
    String uri = TransferServer.PATH_PREFIX + request.dataset().value();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(request.host())
        .setPort(request.port())
        .setURI(uri)
        .putHeader("Authorization", auth.sign(ticket.toNode(), "POST", uri, request.ticket()))
        .putHeader(TransferServer.TICKET_HEADER, request.ticket())
        .putHeader("Content-Type", "application/octet-stream");
    prepared.expectedBytes().ifPresent(n -> options.putHeader(TransferServer.EXPECTED_BYTES, Long.toString(n)));
    request.resumeToken().ifPresent(token -> options.putHeader(TransferServer.RESUME_TOKEN, token));
    // Each stream gets a client and connection of its own (StreamClients says why).
    HttpClient own = streams.take();
    AtomicReference<HttpConnection> connection = new AtomicReference<>();
    return own.request(options).compose(httpRequest -> {
      connection.set(httpRequest.connection());
      return serverIs(httpRequest, ticket.toNode());
    }).compose(httpRequest -> {
      httpRequest.setChunked(true);
      // The response carries the outcome; a reset after an early answer is expected.
      httpRequest.exceptionHandler(e -> { });
      Future<Void> bodySent = body.pipe().endOnFailure(false).to(httpRequest)
          .onFailure(e -> reset(httpRequest, e));
      return httpRequest.response()
          .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b,
              retryAfter(response.getHeader("Retry-After")))))
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
    }).andThen(ar -> streams.give(own, connection.get()));
  }

  /**
   * Over TLS, the server must be {@code node}'s agent: its certificate names it ({@link
   * AgentIdentity}), not only the address called. Without this, whoever could change a Node's
   * address in etcd to their own agent's would be sent the stream and could answer with a receipt
   * signed with the cluster key they hold. Checked before a byte of the request is written; a
   * wrong server's connection is reset.
   */
  private static Future<HttpClientRequest> serverIs(HttpClientRequest request, String node) {
    if (!request.connection().isSsl()) {
      return Future.succeededFuture(request);
    }
    Optional<String> certified;
    try {
      certified = AgentIdentity.node(request.connection().peerCertificates());
    } catch (SSLPeerUnverifiedException e) {
      certified = Optional.empty();
    }
    if (certified.equals(Optional.of(node))) {
      return Future.succeededFuture(request);
    }
    TransferRefusedException wrong = new TransferRefusedException(502, "WrongNode", "the agent at "
        + request.connection().remoteAddress() + " is " + certified.map(n -> "node " + n + "'s")
        .orElse("no node agent's") + " (its certificate), not node " + node + "'s: nothing is sent to it");
    request.reset(0, wrong);
    return Future.failedFuture(wrong);
  }

  /** A Retry-After of whole seconds, kept within bounds; empty when there is none or it is no number. */
  static Optional<Duration> retryAfter(String header) {
    if (header == null) {
      return Optional.empty();
    }
    try {
      Duration asked = Duration.ofSeconds(Long.parseLong(header.strip()));
      return Optional.of(asked.compareTo(SHORTEST_RETRY_AFTER) < 0 ? SHORTEST_RETRY_AFTER
          : asked.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : asked);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
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

  private Future<String> answer(Answer response, TransferTicket ticket, Snapshot sent) {
    return Future.succeededFuture(response.body()).compose(buffer -> {
      JsonObject json = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
      if (response.status() != 200) {
        String reason = json.getString("reason", "HttpError");
        String message = json.getString("message", "target answered " + response.status());
        boolean busy = response.status() == 429 || response.status() == 503;
        return Future.failedFuture(busy && response.retryAfter().isPresent()
            ? new TransferRefusedException(response.status(), reason, message, response.retryAfter().get())
            : new TransferRefusedException(response.status(), reason, message));
      }
      String guid = json.getString("guid", "");
      if (!guid.equals(sent.guid())) {
        return Future.failedFuture(new TransferRefusedException(502, "SnapshotMismatch",
            "target reports snapshot guid " + guid + " but " + sent.name() + " has guid " + sent.guid()));
      }
      if (!TransferReceipt.verify(key, ticket, guid, json.getString("receipt", ""))) {
        return Future.failedFuture(new TransferRefusedException(502, "ReceiptInvalid",
            "node " + ticket.toNode() + " answered without a valid receipt for snapshot " + sent.name()
                + ": the stream is not known to have arrived"));
      }
      return Future.succeededFuture(guid);
    });
  }

  /**
   * The target node's snapshots of {@code dataset}, oldest first, or empty when it has no copy.
   *
   * @return fails with {@link TransferRefusedException} when the target answered with an error
   */
  public Future<Optional<List<Snapshot>>> snapshots(String host, int port, String node, DatasetName dataset) {
    return copy(host, port, node, dataset).map(copy -> copy.map(SnapshotList::snapshots));
  }

  /**
   * The target node's copy of {@code dataset}: its snapshots and the resume token of an
   * interrupted receive into it, or empty when it has no copy.
   *
   * @return fails with {@link TransferRefusedException} when the target answered with an error
   */
  public Future<Optional<SnapshotList>> copy(String host, int port, String node, DatasetName dataset) {
    String uri = TransferServer.DATASETS_PREFIX + dataset.value() + TransferServer.SNAPSHOTS_SUFFIX;
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
        .setURI(uri).putHeader("Authorization", auth.sign(node, "GET", uri, ""));
    return http.request(options).compose(r -> serverIs(r, node)).compose(HttpClientRequest::send).compose(response -> response.body().compose(body -> {
      if (response.statusCode() == 404) {
        return Future.succeededFuture(Optional.<SnapshotList>empty());
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
        if (!list.resumeToken().isEmpty()) {
          ResumeToken.requireToken(list.resumeToken());
        }
        return Future.succeededFuture(Optional.of(list));
      } catch (IOException | IllegalArgumentException e) {
        return Future.failedFuture(new TransferRefusedException(502, "BadAnswer",
            "node " + host + " answered an unreadable snapshot list: " + e.getMessage()));
      }
    }));
  }

  /**
   * The guid with which the target holds the snapshot {@code token}'s ticket names, as its
   * verified receipt says, or empty when it does not hold it.
   *
   * @return fails with {@link TransferRefusedException} when the target answered with an error or
   *     without a valid receipt, with {@link TicketRejectedException} when the ticket is not this cluster's
   */
  public Future<Optional<String>> receipt(String host, int port, String token) {
    TransferTicket ticket;
    try {
      ticket = TransferTicket.decode(token, key);
    } catch (TicketRejectedException e) {
      return Future.failedFuture(e);
    }
    String uri = TransferServer.PATH_PREFIX + ticket.dataset() + TransferServer.RECEIPT_SUFFIX;
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI(uri)
        .putHeader("Authorization", auth.sign(ticket.toNode(), "GET", uri, token))
        .putHeader(TransferServer.TICKET_HEADER, token);
    return http.request(options).compose(r -> serverIs(r, ticket.toNode())).compose(HttpClientRequest::send).compose(response -> response.body().compose(body -> {
      JsonObject json;
      try {
        json = body.length() == 0 ? new JsonObject() : body.toJsonObject();
      } catch (RuntimeException e) {
        json = new JsonObject();
      }
      if (response.statusCode() == 404) {
        return Future.succeededFuture(Optional.<String>empty());
      }
      if (response.statusCode() != 200) {
        return Future.failedFuture(new TransferRefusedException(response.statusCode(),
            json.getString("reason", "HttpError"), "node " + ticket.toNode() + " gave no receipt for "
                + ticket.snapshot() + ": " + json.getString("message", "it answered " + response.statusCode())));
      }
      String guid = json.getString("guid", "");
      if (!TransferReceipt.verify(key, ticket, guid, json.getString("receipt", ""))) {
        return Future.failedFuture(new TransferRefusedException(502, "ReceiptInvalid", "node " + ticket.toNode()
            + " answered without a valid receipt for snapshot " + ticket.snapshot()));
      }
      return Future.succeededFuture(Optional.of(guid));
    }));
  }

  /** The node's cap on its outgoing streams. */
  public TransferCap cap() {
    return cap;
  }

  public Future<Void> close() {
    return Future.join(streams.close(), http.close()).mapEmpty();
  }
}
