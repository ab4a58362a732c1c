package dev.ferry.controller.api;

import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.KindWatch;
import dev.ferry.api.store.Subscription;
import dev.ferry.api.store.WatchEvent;
import dev.ferry.api.store.WatchListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import dev.ferry.controller.auth.Principal;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the watch WebSocket. Store events arrive on the store's threads, are encoded
 * there and handed to the socket's event loop; only the event loop touches the socket.
 *
 * <p>A client that does not keep up is disconnected rather than buffered without bound: when
 * the socket's write queue is full, or more than {@link WatchOptions#maxPendingFrames} frames
 * wait for the event loop, the socket is closed with code 1008 and a reason that says so.
 */
final class WatchSession {

  private static final Logger LOG = LoggerFactory.getLogger(WatchSession.class);
  static final short CLOSE_EXPIRED = 4410;
  static final short CLOSE_TOO_SLOW = 1008;
  static final short CLOSE_GOING_AWAY = 1001;
  /** The watch's token was removed from the tokens file. */
  static final short CLOSE_REVOKED = 4401;

  private final ServerWebSocket socket;
  private final Context context;
  private final EtcdStore store;
  private final WatchRequest request;
  private final WatchOptions options;
  private final Principal principal;
  private final String fingerprint;
  private final Runnable onEnd;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final AtomicInteger pending = new AtomicInteger();
  private volatile boolean closed;
  private long heartbeat = -1;

  WatchSession(ServerWebSocket socket, Context context, EtcdStore store, WatchRequest request,
      WatchOptions options, Principal principal, String fingerprint, Runnable onEnd) {
    this.socket = socket;
    this.context = context;
    this.store = store;
    this.request = request;
    this.options = options;
    this.principal = principal;
    this.fingerprint = fingerprint;
    this.onEnd = onEnd;
  }

  /** Starts the store watches and the heartbeat; on the socket's event loop. */
  void start() {
    socket.setWriteQueueMaxSize(options.maxQueuedBytes());
    socket.closeHandler(v -> end());
    socket.exceptionHandler(e -> LOG.debug("watch socket failed: {}", e.toString()));
    socket.handler(ignored -> { });
    heartbeat = context.owner().setPeriodic(options.heartbeat().toMillis(), id -> send(Responses.encode(WatchFrame.HEARTBEAT)));
    if (!request.resumes()) {
      subscriptions.add(store.listAndWatch(kindWatches(false)));
      return;
    }
    List<Future<Void>> checks = request.kinds().stream()
        .map(kind -> Future.fromCompletionStage(store.checkHistory(kind, request.resourceVersion()), context))
        .toList();
    Future.all(checks).onComplete(ar -> {
      if (ar.failed()) {
        close(ApiError.from(ar.cause()), CLOSE_EXPIRED, "resourceVersion expired: list again");
      } else if (!closed) {
        subscriptions.add(store.resume(kindWatches(true), request.resourceVersion()));
      }
    });
  }

  /** Closes the watch with a 401 unless its token still belongs to its principal. */
  void revokeUnless(BiPredicate<String, Principal> valid) {
    if (!valid.test(fingerprint, principal)) {
      context.runOnContext(v -> close(ApiError.unauthorized("the watch's bearer token is no longer valid"),
          CLOSE_REVOKED, "token revoked"));
    }
  }

  /** Closes the socket as the server goes away. */
  void shutdown() {
    context.runOnContext(v -> close(ApiError.of(503, "Unavailable", "the controller is shutting down"),
        CLOSE_GOING_AWAY, "server shutting down"));
  }

  /**
   * The kinds asked for, each with its listener, for ONE store watch: one watch delivers all
   * kinds in revision order, so the stream is one ordered sequence a client can resume from.
   */
  private List<KindWatch<?, ?, ?>> kindWatches(boolean resumed) {
    List<KindWatch<?, ?, ?>> watches = new ArrayList<>();
    request.kinds().forEach(kind -> watches.add(kindWatch(kind, resumed)));
    return watches;
  }

  private <O extends FerryObject<O, S, T>, S, T> KindWatch<O, S, T> kindWatch(Kind<O, S, T> kind, boolean resumed) {
    return new KindWatch<>(kind, request.selector(), new Listener<>(kind, resumed));
  }

  /** Called on a store thread: encode here, write on the event loop. */
  private void enqueue(String frame) {
    if (closed) {
      return;
    }
    if (pending.incrementAndGet() > options.maxPendingFrames()) {
      context.runOnContext(v -> tooSlow());
      return;
    }
    context.runOnContext(v -> {
      pending.decrementAndGet();
      send(frame);
    });
  }

  private void send(String frame) {
    if (closed) {
      return;
    }
    if (socket.writeQueueFull()) {
      tooSlow();
      return;
    }
    socket.writeTextMessage(frame);
  }

  private void tooSlow() {
    if (!closed) {
      LOG.info("disconnecting a watch client that does not keep up ({} bytes unsent)", options.maxQueuedBytes());
      options.onSlowClient().run();
      closeSocket(CLOSE_TOO_SLOW, "client too slow: more than " + options.maxQueuedBytes()
          + " bytes or " + options.maxPendingFrames() + " frames waiting");
    }
  }

  private void close(ApiError error, short code, String reason) {
    if (!closed) {
      socket.writeTextMessage(Responses.encode(WatchFrame.error(error)));
      closeSocket(code, reason);
    }
  }

  private void closeSocket(short code, String reason) {
    end();
    socket.close(code, reason);
  }

  /** Stops everything once; the socket may already be gone. */
  private void end() {
    if (closed) {
      return;
    }
    closed = true;
    if (heartbeat >= 0) {
      context.owner().cancelTimer(heartbeat);
    }
    subscriptions.forEach(Subscription::close);
    onEnd.run();
  }

  private final class Listener<O extends FerryObject<O, ?, ?>> implements WatchListener<O> {
    private final Kind<?, ?, ?> kind;
    private final boolean resumed;

    Listener(Kind<?, ?, ?> kind, boolean resumed) {
      this.kind = kind;
      this.resumed = resumed;
    }

    @Override
    public void onEvent(WatchEvent<O> event) {
      if (request.name().map(n -> n.equals(event.object().name())).orElse(true)) {
        enqueue(Responses.encode(WatchFrame.of(event)));
      }
    }

    @Override
    public void onSynced(long revision) {
      if (!resumed) {
        enqueue(Responses.encode(WatchFrame.synced(kind.name(), revision)));
        return;
      }
      // The store re-listed because the history after the client's revision was compacted
      // while watching: it cannot know what the client had, so the client must list again.
      context.runOnContext(v -> close(ApiError.of(410, "Gone", "the history after resourceVersion "
          + request.resourceVersion() + " was compacted: list again and watch from the list's resourceVersion"),
          CLOSE_EXPIRED, "resourceVersion expired: list again"));
    }
  }
}
