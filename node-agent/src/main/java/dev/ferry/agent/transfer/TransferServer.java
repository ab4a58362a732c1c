package dev.ferry.agent.transfer;

import dev.ferry.agent.metrics.AgentProbes;
import dev.ferry.agent.metrics.TransferBytes;
import dev.ferry.api.transfer.TicketRejectedException;
import dev.ferry.api.transfer.TransferTicket;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.api.codec.Json;
import dev.ferry.agent.zfs.StreamingProcess;
import dev.ferry.api.model.Snapshot;
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
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of agent-to-agent transfers: {@code POST /v1/transfers/{dataset}} with the
 * ticket in {@code Authorization: Ferry-Ticket <token>} and a {@code zfs send} stream as the body.
 *
 * <p>The body is piped into {@code zfs receive} with back-pressure: the request is paused until
 * the receive runs, and reading stops whenever the receive falls behind. Answers {@code 200}
 * with {@code {dataset, snapshot, guid, bytes}} once the target holds the ticket's snapshot, or
 * an error {@code {code, reason, message}}: 400 bad name or incomplete stream, 401 no ticket,
 * 403 ticket refused, 409 the target must not or cannot take the stream, 507 not enough space.
 * One transfer per dataset at a time.
 *
 * <p>It also answers {@code GET /v1/datasets/{dataset}/snapshots}, what a sender asks before it
 * plans a stream: {@code 200 {dataset, snapshots: [{name, guid, created}]}} oldest first, or 404
 * when this node has no copy. The list is not secret and changes nothing, so it needs no ticket.
 * And it serves the {@link AgentProbes}' routes: {@code /healthz}, {@code /readyz}, {@code /metrics}.
 */
public final class TransferServer {

  public static final String PATH_PREFIX = "/v1/transfers/";
  /** {@code GET /v1/datasets/{dataset}/snapshots}: this node's snapshots of a dataset. */
  public static final String DATASETS_PREFIX = "/v1/datasets/";
  public static final String SNAPSHOTS_SUFFIX = "/snapshots";
  public static final String TICKET_SCHEME = "Ferry-Ticket ";
  /** Optional request header: the sender's estimate of the stream's size in bytes. */
  public static final String EXPECTED_BYTES = "X-Ferry-Expected-Bytes";

  /** The largest piece of a stream the server hands on at once. */
  static final int BODY_CHUNK = 1 << 20;

  private static final Logger LOG = LoggerFactory.getLogger(TransferServer.class);

  private final Vertx vertx;
  private final TicketVerifier verifier;
  private final TransferReceiver receiver;
  private final Consumer<TransferProgress> progress;
  private final TransferBytes counted;
  private final AgentProbes probes;
  private final Set<String> busy = ConcurrentHashMap.newKeySet();
  private HttpServer server;

  /**
   * @param counted where received bytes are counted as they stream
   * @param probes {@code /healthz}, {@code /readyz} and {@code /metrics}, served here too
   */
  public TransferServer(Vertx vertx, TicketVerifier verifier, TransferReceiver receiver,
      Consumer<TransferProgress> progress, TransferBytes counted, AgentProbes probes) {
    this.counted = counted;
    this.probes = probes;
    this.vertx = vertx;
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
    if (path.startsWith(DATASETS_PREFIX) && path.endsWith(SNAPSHOTS_SUFFIX)) {
      snapshots(request, path.substring(DATASETS_PREFIX.length(), path.length() - SNAPSHOTS_SUFFIX.length()));
      return;
    }
    if (!path.startsWith(PATH_PREFIX)) {
      fail(request, new TransferRefusedException(404, "NotFound", "no such endpoint: " + path));
      return;
    }
    if (request.method() != HttpMethod.POST) {
      fail(request, new TransferRefusedException(405, "MethodNotAllowed", "transfers are POSTed"));
      return;
    }
    String name = path.substring(PATH_PREFIX.length());
    TransferTicket ticket;
    OptionalLong expected;
    try {
      DatasetName.of(name);
      ticket = verifier.admit(ticketOf(request), name);
      expected = expectedBytes(request);
    } catch (IllegalArgumentException e) {
      fail(request, new TransferRefusedException(400, "BadRequest", e.getMessage()));
      return;
    } catch (TicketRejectedException e) {
      fail(request, new TransferRefusedException(403, "TicketRejected", e.getMessage()));
      return;
    } catch (TransferRefusedException e) {
      fail(request, e);
      return;
    }
    if (!busy.add(name)) {
      fail(request, new TransferRefusedException(409, "TransferRunning", "a transfer into " + name + " is running"));
      return;
    }
    receive(request, ticket, expected)
        .onSuccess(received -> request.response()
            .putHeader("Content-Type", "application/json")
            // One stream per connection: the sender may still be ending its request.
            .putHeader("Connection", "close")
            .end(new JsonObject().put("dataset", name).put("snapshot", received.snapshot().name())
                .put("guid", received.snapshot().guid()).put("bytes", received.bytes()).encode()))
        .onFailure(e -> fail(request, e))
        .onComplete(ar -> busy.remove(name));
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
    vertx.executeBlocking(() -> receiver.snapshots(dataset), false)
        .onSuccess(list -> {
          if (list.isEmpty()) {
            fail(request, new TransferRefusedException(404, "NoCopy", "this node has no copy of " + dataset));
          } else {
            request.response().putHeader("Content-Type", "application/json")
                .end(Json.json().valueToTree(new SnapshotList(name, list.get())).toString());
          }
        })
        .onFailure(e -> fail(request, e));
  }

  private record Received(Snapshot snapshot, long bytes) {}

  private Future<Received> receive(HttpServerRequest request, TransferTicket ticket, OptionalLong expected) {
    Context context = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> receiver.begin(ticket, expected), false).compose(process -> {
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

  private static String ticketOf(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.startsWith(TICKET_SCHEME)) {
      throw new TransferRefusedException(401, "TicketMissing",
          "a transfer needs a ticket: Authorization: " + TICKET_SCHEME + "<token>");
    }
    return header.substring(TICKET_SCHEME.length()).trim();
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

  /**
   * Answers with the error, then throws away whatever body is still coming until the sender, who
   * stops on the answer, closes the connection: closing it first would reset the socket and could
   * lose the answer on its way.
   */
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
