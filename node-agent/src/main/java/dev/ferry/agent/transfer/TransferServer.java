package dev.ferry.agent.transfer;

import dev.ferry.agent.metrics.AgentProbes;
import dev.ferry.agent.metrics.TransferBytes;
import dev.ferry.api.transfer.TicketRejectedException;
import dev.ferry.api.transfer.TransferTicket;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.ResumeToken;
import dev.ferry.api.codec.Json;
import dev.ferry.agent.zfs.StreamingProcess;
import dev.ferry.api.model.Snapshot;
import dev.ferry.api.tls.AgentIdentity;
import dev.ferry.api.tls.TlsFiles;
import dev.ferry.api.tls.VertxTls;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import dev.ferry.api.transfer.AgentRequest;
import dev.ferry.api.transfer.TransferReceipt;
import dev.ferry.api.transfer.UnauthenticatedException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of agent-to-agent transfers: {@code POST /v1/transfers/{dataset}} with the
 * ticket in {@code X-Ferry-Ticket: <token>} and a {@code zfs send} stream as the body.
 *
 * <p>Every route answers only a holder of the cluster key: a request without a valid {@link
 * AgentRequest} credential made for this node, this method, this path and the ticket it carries
 * is answered 401 before anything else is looked at, and a ticket is admitted only from the node
 * it names as the sender. Over mutual TLS the credential's caller must also be the node the client
 * certificate names ({@code CN=agent-<node>}), or the request is answered 403 {@code WrongNode}.
 *
 * <p>The body is piped into {@code zfs receive} with back-pressure: the request is paused until
 * the receive runs, and reading stops whenever the receive falls behind. Answers {@code 200}
 * with {@code {dataset, snapshot, guid, bytes, receipt}} once the target holds the ticket's
 * snapshot (the receipt: {@link TransferReceipt}), or an error {@code {code, reason, message}}:
 * 400 bad name or incomplete stream, 401 no or bad credential, no ticket, 403 ticket refused,
 * 409 the target must not or cannot take the stream, 429 {@code ReceiverBusy} with {@code Retry-After}
 * when this node already receives its most streams at once ({@code maxConcurrentReceives}), 507 not
 * enough space. One transfer per dataset at a time, and at most {@code maxReceives} in all: a
 * stream costs a {@code zfs receive}, its disk writes and a connection, and a node asked to take
 * many at once (many moves to it, or a peer holding the cluster key that opens streams without
 * end) would starve its own apps. The busy answer comes before the ticket is admitted, so the
 * sender may send the same ticket again once a slot frees ({@link TransferClient} waits and does). With {@code X-Ferry-Resume-Token} the body is the rest of the interrupted
 * stream that token describes ({@code zfs send -t}; OpenZFS only), see {@link TransferReceiver#begin}.
 *
 * <p>It also answers {@code GET /v1/datasets/{dataset}/snapshots}, what a sender asks before it
 * plans a stream: {@code 200 {dataset, snapshots: [{name, guid, created}], resumeToken}} oldest
 * first, the token only when an interrupted receive into the dataset left one, or 404
 * when this node has no copy; and {@code GET /v1/transfers/{dataset}/receipt} with a ticket: the
 * receipt for the ticket's snapshot when this node holds it ({@code 200 {dataset, snapshot, guid,
 * receipt}}), 404 when not, so that a sender whose earlier attempt got through but was not
 * reported can tell, from a signed statement rather than a listed guid.
 * And it serves the {@link AgentProbes}' routes, without credentials: {@code /healthz}, {@code /readyz},
 * {@code /metrics}.
 */
public final class TransferServer {

  public static final String PATH_PREFIX = "/v1/transfers/";
  /** {@code GET /v1/datasets/{dataset}/snapshots}: this node's snapshots of a dataset. */
  public static final String DATASETS_PREFIX = "/v1/datasets/";
  public static final String SNAPSHOTS_SUFFIX = "/snapshots";
  /** {@code GET /v1/transfers/{dataset}/receipt}: the receipt for a ticket's snapshot. */
  public static final String RECEIPT_SUFFIX = "/receipt";
  /** The request header that carries the transfer ticket. */
  public static final String TICKET_HEADER = "X-Ferry-Ticket";
  /** Optional request header: the sender's estimate of the stream's size in bytes. */
  public static final String EXPECTED_BYTES = "X-Ferry-Expected-Bytes";
  /**
   * Optional request header: the body is {@code zfs send -t} of this node's {@code
   * receive_resume_token}, the rest of an interrupted stream (OpenZFS only).
   */
  public static final String RESUME_TOKEN = "X-Ferry-Resume-Token";

  /** How long a sender refused for want of a receive slot waits before it asks again. */
  public static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(2);
  /** Streams one agent receives at once unless configured otherwise. */
  public static final int DEFAULT_MAX_RECEIVES = 4;

  /** The largest piece of a stream the server hands on at once. */
  static final int BODY_CHUNK = 1 << 20;

  private static final Logger LOG = LoggerFactory.getLogger(TransferServer.class);

  private final Vertx vertx;
  private final AgentRequest auth;
  private final TicketVerifier verifier;
  private final TransferReceiver receiver;
  private final Consumer<TransferProgress> progress;
  private final TransferBytes counted;
  private final AgentProbes probes;
  private final Set<String> busy = ConcurrentHashMap.newKeySet();
  private final int maxReceives;
  /** Receives running or being admitted: at most {@link #maxReceives}. */
  private final AtomicInteger receives = new AtomicInteger();
  private HttpServer server;

  /**
   * @param auth checks that a caller holds the cluster key
   * @param counted where received bytes are counted as they stream
   * @param probes {@code /healthz}, {@code /readyz} and {@code /metrics}, served here too
   */
  public TransferServer(Vertx vertx, AgentRequest auth, TicketVerifier verifier, TransferReceiver receiver,
      Consumer<TransferProgress> progress, TransferBytes counted, AgentProbes probes) {
    this(vertx, auth, verifier, receiver, progress, counted, probes, DEFAULT_MAX_RECEIVES);
  }

  /** @param maxReceives how many streams this agent receives at once; one more is answered 429 */
  public TransferServer(Vertx vertx, AgentRequest auth, TicketVerifier verifier, TransferReceiver receiver,
      Consumer<TransferProgress> progress, TransferBytes counted, AgentProbes probes, int maxReceives) {
    if (maxReceives < 1) {
      throw new IllegalArgumentException("maxReceives must be 1 or more, not " + maxReceives);
    }
    this.maxReceives = maxReceives;
    this.counted = counted;
    this.probes = probes;
    this.vertx = vertx;
    this.auth = auth;
    this.verifier = verifier;
    this.receiver = receiver;
    this.progress = progress;
  }

  /** Starts listening on {@code host:port} (port 0: any free port), plain HTTP; completes with the bound port. */
  public Future<Integer> listen(String host, int port) {
    return listen(host, port, Optional.empty());
  }

  /**
   * The same over mutual TLS when {@code tls} is given: only a client presenting a certificate
   * of the cluster CA (another agent, the controller) gets past the handshake to any route.
   */
  public Future<Integer> listen(String host, int port, Optional<TlsFiles> tls) {
    // A sender that stalls without closing would otherwise hold the dataset's transfer slot forever.
    // Netty's default of 8 KiB per body chunk made the receiver handle and write a GiB in
    // 131072 pieces: the agent's CPU, not the network, then bounded the rate on a small machine.
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setIdleTimeout(60)
        .setMaxChunkSize(BODY_CHUNK);
    tls.ifPresent(files -> VertxTls.serve(options, files, true));
    server = vertx.createHttpServer(options);
    return server.requestHandler(this::handle).listen().map(HttpServer::actualPort);
  }

  /** Whether a stream into {@code dataset} is being received right now. */
  public boolean receiving(String dataset) {
    return busy.contains(dataset);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest request) {
    request.pause();
    if (probes.answer(request)) {
      return;
    }
    String path = request.path();
    String token = header(request, TICKET_HEADER);
    String caller;
    try {
      caller = auth.verify(header(request, "Authorization"), request.method().name(), path, token);
    } catch (UnauthenticatedException e) {
      fail(request, new TransferRefusedException(401, "Unauthenticated", e.getMessage()));
      return;
    }
    Optional<String> impostor = impostor(request, caller);
    if (impostor.isPresent()) {
      fail(request, new TransferRefusedException(403, "WrongNode", impostor.get()));
      return;
    }
    if (path.startsWith(DATASETS_PREFIX) && path.endsWith(SNAPSHOTS_SUFFIX)) {
      snapshots(request, path.substring(DATASETS_PREFIX.length(), path.length() - SNAPSHOTS_SUFFIX.length()));
      return;
    }
    if (!path.startsWith(PATH_PREFIX)) {
      fail(request, new TransferRefusedException(404, "NotFound", "no such endpoint: " + path));
      return;
    }
    if (path.endsWith(RECEIPT_SUFFIX)) {
      receipt(request, path.substring(PATH_PREFIX.length(), path.length() - RECEIPT_SUFFIX.length()), token, caller);
      return;
    }
    if (request.method() != HttpMethod.POST) {
      fail(request, new TransferRefusedException(405, "MethodNotAllowed", "transfers are POSTed"));
      return;
    }
    String name = path.substring(PATH_PREFIX.length());
    OptionalLong expected;
    Optional<String> resume;
    try {
      DatasetName.of(name);
      requireTicket(token);
      expected = expectedBytes(request);
      resume = resumeToken(request);
    } catch (IllegalArgumentException e) {
      fail(request, new TransferRefusedException(400, "BadRequest", e.getMessage()));
      return;
    } catch (TransferRefusedException e) {
      fail(request, e);
      return;
    }
    // Before the ticket is admitted (which uses up its nonce): a busy answer leaves it good for a retry.
    if (!takeReceiveSlot()) {
      counted.busyRefusals().increment();
      fail(request, new TransferRefusedException(429, "ReceiverBusy", "node is receiving " + maxReceives
          + " streams, the most it takes at once (maxConcurrentReceives): send again after "
          + BUSY_RETRY_AFTER.toSeconds() + " s", BUSY_RETRY_AFTER));
      return;
    }
    // Admitting writes the ticket's nonce to disk.
    vertx.executeBlocking(() -> verifier.admit(token, name, caller), false)
        .onFailure(e -> {
          receives.decrementAndGet();
          fail(request, refusal(e));
        })
        .onSuccess(ticket -> {
          if (!busy.add(name)) {
            receives.decrementAndGet();
            fail(request, new TransferRefusedException(409, "TransferRunning", "a transfer into " + name + " is running"));
            return;
          }
          receive(request, ticket, expected, resume)
              .onSuccess(received -> request.response()
                  .putHeader("Content-Type", "application/json")
                  // One stream per connection: the sender may still be ending its request.
                  .putHeader("Connection", "close")
                  .end(new JsonObject().put("dataset", name).put("snapshot", received.snapshot().name())
                      .put("guid", received.snapshot().guid()).put("bytes", received.bytes())
                      .put("receipt", verifier.receipt(ticket, received.snapshot().guid())).encode()))
              .onFailure(e -> fail(request, e))
              .onComplete(ar -> {
                busy.remove(name);
                receives.decrementAndGet();
              });
        });
  }

  /** Takes one of the {@link #maxReceives} slots, if one is free. */
  private boolean takeReceiveSlot() {
    return receives.getAndUpdate(n -> n < maxReceives ? n + 1 : n) < maxReceives;
  }

  private void receipt(HttpServerRequest request, String name, String token, String caller) {
    if (request.method() != HttpMethod.GET) {
      fail(request, new TransferRefusedException(405, "MethodNotAllowed", "receipts are read with GET"));
      return;
    }
    DatasetName dataset;
    TransferTicket ticket;
    try {
      dataset = DatasetName.of(name);
      requireTicket(token);
      ticket = verifier.check(token, name);
      if (!ticket.fromNode().equals(caller)) {
        throw new TicketRejectedException("transfer ticket is for node " + ticket.fromNode() + ", but node " + caller
            + " asked");
      }
    } catch (RuntimeException e) {
      fail(request, refusal(e));
      return;
    }
    vertx.executeBlocking(() -> receiver.snapshots(dataset), false)
        .onSuccess(list -> {
          Optional<Snapshot> held = list.orElse(List.of()).stream()
              .filter(s -> s.name().equals(ticket.snapshot())).findFirst();
          if (held.isEmpty()) {
            fail(request, new TransferRefusedException(404, "NoSnapshot",
                "this node holds no snapshot " + ticket.snapshot() + " of " + dataset));
          } else {
            request.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("dataset", name).put("snapshot", held.get().name())
                    .put("guid", held.get().guid()).put("receipt", verifier.receipt(ticket, held.get().guid())).encode());
          }
        })
        .onFailure(e -> fail(request, e));
  }

  /** A ticket or request problem as the answer it gets; anything else stays a 500 with its cause logged. */
  private static Throwable refusal(Throwable e) {
    if (e instanceof TransferRefusedException refused) {
      return refused;
    }
    if (e instanceof TicketRejectedException) {
      return new TransferRefusedException(403, "TicketRejected", e.getMessage());
    }
    if (e instanceof IllegalArgumentException) {
      return new TransferRefusedException(400, "BadRequest", e.getMessage());
    }
    return e;
  }

  private void snapshots(HttpServerRequest request, String name) {
    if (request.method() != HttpMethod.GET) {
      fail(request, new TransferRefusedException(405, "MethodNotAllowed", "snapshots are read with GET"));
      return;
    }
    DatasetName dataset;
    try {
      dataset = DatasetName.of(name);
    } catch (IllegalArgumentException e) {
      fail(request, new TransferRefusedException(400, "BadRequest", e.getMessage()));
      return;
    }
    vertx.executeBlocking(() -> receiver.snapshots(dataset)
            .map(list -> new SnapshotList(name, list, receiver.resumeToken(dataset).orElse(""))), false)
        .onSuccess(list -> {
          if (list.isEmpty()) {
            fail(request, new TransferRefusedException(404, "NoCopy", "this node has no copy of " + dataset));
          } else {
            request.response().putHeader("Content-Type", "application/json")
                .end(Json.json().valueToTree(list.get()).toString());
          }
        })
        .onFailure(e -> fail(request, e));
  }

  private record Received(Snapshot snapshot, long bytes) {}

  private Future<Received> receive(HttpServerRequest request, TransferTicket ticket, OptionalLong expected,
      Optional<String> resume) {
    Context context = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> receiver.begin(ticket, expected, resume), false).compose(process -> {
      OutputStreamWriteStream body = new OutputStreamWriteStream(context, process.input(), counted.received()::increment);
      ProgressReporter reporter = new ProgressReporter(vertx, ticket.dataset(), body::bytes, progress);
      return request.pipeTo(body)
          // Whether the body arrived whole or not, the receive's own outcome decides: a body cut
          // short ends its input early, which fails it cleanly.
          .transform(piped -> vertx.executeBlocking(() -> finish(ticket, process), false))
          .map(snapshot -> new Received(snapshot, body.bytes()))
          .onComplete(ar -> LOG.info("stream into {}", reporter.stop()));
    });
  }

  private Snapshot finish(TransferTicket ticket, StreamingProcess process) {
    try (process) {
      return receiver.complete(ticket, process);
    }
  }

  private static void requireTicket(String token) {
    if (token.isEmpty()) {
      throw new TransferRefusedException(401, "TicketMissing", "a transfer needs a ticket: " + TICKET_HEADER + ": <token>");
    }
  }

  private static String header(HttpServerRequest request, String name) {
    String value = request.getHeader(name);
    return value == null ? "" : value.strip();
  }

  private static OptionalLong expectedBytes(HttpServerRequest request) {
    String value = request.getHeader(EXPECTED_BYTES);
    if (value == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(EXPECTED_BYTES + " must be a number of bytes, got '" + value + "'");
    }
  }

  private static Optional<String> resumeToken(HttpServerRequest request) {
    String value = header(request, RESUME_TOKEN);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ResumeToken.requireToken(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(RESUME_TOKEN + ": " + e.getMessage());
    }
  }

  /**
   * Answers with the error, then throws away whatever body is still coming until the sender, who
   * stops on the answer, closes the connection: closing it first would reset the socket and could
   * lose the answer on its way.
   */
  /**
   * Over TLS the caller's certificate is its identity ({@link AgentIdentity}): a request whose
   * credential claims another node than the certificate names is refused, so one agent's key and
   * certificate do not let it act for another node. Empty when the certificate names the caller
   * (or the server runs plain HTTP, where there is no certificate to check).
   */
  private static Optional<String> impostor(HttpServerRequest request, String caller) {
    if (!request.isSSL()) {
      return Optional.empty();
    }
    Optional<String> certified;
    try {
      SSLSession session = request.sslSession();
      certified = session == null ? Optional.empty() : AgentIdentity.node(List.of(session.getPeerCertificates()));
    } catch (SSLPeerUnverifiedException e) {
      certified = Optional.empty();
    }
    if (certified.equals(Optional.of(caller))) {
      return Optional.empty();
    }
    return Optional.of(certified.map(n -> "the client certificate is node " + n + "'s (CN=" + AgentIdentity.commonName(n)
        + "), but the request claims to come from node " + caller).orElse("the client certificate is no node agent's"
        + " (its CN is not agent-NODE), but the request claims to come from node " + caller));
  }

  private static void fail(HttpServerRequest request, Throwable error) {
    TransferRefusedException refused = error instanceof TransferRefusedException r ? r
        : new TransferRefusedException(500, "InternalError", String.valueOf(error.getMessage()));
    if (refused.status() >= 500 && refused.status() != 507) {
      LOG.warn("transfer {} failed: {}", request.path(), refused.getMessage(), error);
    } else {
      LOG.info("transfer {} refused: {}", request.path(), refused.getMessage());
    }
    if (request.response().ended() || request.response().closed()) {
      return;
    }
    refused.retryAfter().ifPresent(after -> request.response().putHeader("Retry-After", Long.toString(after.toSeconds())));
    request.response()
        .setStatusCode(refused.status())
        .putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close")
        .end(new JsonObject().put("code", refused.status()).put("reason", refused.reason())
            .put("message", refused.getMessage()).encode());
    if (!request.isEnded()) {
      request.handler(chunk -> { }).resume();
    }
  }
}
