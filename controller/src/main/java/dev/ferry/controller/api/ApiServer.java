package dev.ferry.controller.api;

import dev.ferry.api.build.BuildVersion;
import dev.ferry.api.model.GitSource;
import dev.ferry.api.model.Kind;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.controller.auth.Role;
import dev.ferry.controller.auth.ReloadingTokens;
import dev.ferry.controller.gitops.GitSyncTrigger;
import dev.ferry.controller.metrics.Counter;
import dev.ferry.controller.metrics.MetricsRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ferry's API, one verticle. Every endpoint but {@code /healthz} needs a bearer token
 * ({@link BearerAuth}); answers are JSON, errors are {@link ApiError}s.
 *
 * <pre>
 * GET    /healthz                          open; 200 while the process runs
 * GET    /readyz                           view; 200 when etcd answers, else 503
 * GET    /metrics                          view; Prometheus text
 * GET    /version                          view; {"version": ...}
 * GET    /apis/ferry/v1/&lt;plural&gt;            view; ?labelSelector=; a list with metadata.resourceVersion
 * GET    /apis/ferry/v1/&lt;plural&gt;/&lt;name&gt;     view
 * PUT    /apis/ferry/v1/&lt;plural&gt;/&lt;name&gt;     edit (admin for nodes, events); apply, body YAML or JSON,
 *                                          ?dryRun=true; 201 created, 200 configured or unchanged,
 *                                          header Ferry-Outcome: created|configured|unchanged
 * DELETE /apis/ferry/v1/&lt;plural&gt;/&lt;name&gt;     same roles; ?resourceVersion=N precondition, ?dryRun=true;
 *                                          200 deleted, or 202 deleting (finalizers pending)
 * POST   /apis/ferry/v1/gitsources/&lt;name&gt;/sync   edit; syncs now, answers the GitSource
 * GET    /apis/ferry/v1/watch              view; WebSocket, see {@link WatchFrame}
 * </pre>
 *
 * <p>The token is checked before a body is read; bodies over 1 MiB are refused with 413, a
 * connection idle for {@link ApiServerOptions#idleTimeout} is closed, watches beyond
 * {@link ApiServerOptions#maxWatches} in all or {@link ApiServerOptions#maxWatchesPerUser} per
 * user are refused with 429; unreadable input with 400; invalid objects with 422
 * (every problem with its field); a stale resourceVersion with 409. The event loop never
 * blocks: store calls are asynchronous and complete back on the request's context.
 */
public final class ApiServer extends VerticleBase {

  private static final String ROUTE = "ferry.route";
  private static final String OBJECTS = "/apis/ferry/v1/:plural";

  private final ApiServerOptions options;
  private final EtcdStore store;
  private final ReloadingTokens tokens;
  private final BearerAuth auth;
  private final MetricsRegistry metrics;
  private final GitSyncTrigger gitSync;
  private final Counter requests;
  private final Set<WatchSession> watches = ConcurrentHashMap.newKeySet();
  /** Open (or opening) watches by user, for the caps. */
  private final Map<String, Integer> watchesByUser = new ConcurrentHashMap<>();
  private final Counter slowClients;
  private HttpServer server;

  /**
   * @param tokens the tokens file: read again every {@link ReloadingTokens#INTERVAL} while the
   *     server runs, and a watch whose token is no longer in it is closed
   */
  public ApiServer(ApiServerOptions options, EtcdStore store, ReloadingTokens tokens, MetricsRegistry metrics,
      GitSyncTrigger gitSync) {
    this.options = options;
    this.store = store;
    this.tokens = tokens;
    this.auth = new BearerAuth(tokens);
    this.metrics = metrics;
    this.gitSync = gitSync;
    this.requests = metrics.counter("ferry_api_requests_total", "API requests by route, method and status code",
        "route", "method", "code");
    this.slowClients = metrics.counter("ferry_api_watch_slow_disconnects_total",
        "Watch clients disconnected because they did not keep up");
    metrics.gauge("ferry_api_watches", "Open watch WebSockets", watches::size);
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.port())
            .setIdleTimeout((int) options.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
        .requestHandler(router())
        .listen()
        .onSuccess(s -> {
          server = s;
          vertx.setPeriodic(ReloadingTokens.INTERVAL.toMillis(), id -> vertx.executeBlocking(tokens::reload, false)
              .onSuccess(changed -> {
                if (changed) {
                  watches.forEach(session -> session.revokeUnless(auth::stillValid));
                }
              }));
        });
  }

  @Override
  public Future<?> stop() {
    watches.forEach(WatchSession::shutdown);
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The port the server listens on (the one picked, when the options said 0). */
  public int port() {
    if (server == null) {
      throw new IllegalStateException("the API server is not listening yet");
    }
    return server.actualPort();
  }

  /** This build's version, as ferryctl reports its own. */
  public static String version() {
    return BuildVersion.get();
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler((PlatformHandler) this::countRequest);
    ObjectRoutes objects = new ObjectRoutes(store, options.allowFileGitUrls());

    router.get("/healthz").handler(tag("/healthz")).handler(ctx -> Responses.json(ctx, 200, Map.of("status", "ok")));
    on(router, HttpMethod.GET, "/readyz").handler(this::ready);
    on(router, HttpMethod.GET, "/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
    on(router, HttpMethod.GET, "/version").handler(ctx -> Responses.json(ctx, 200, Map.of("version", options.version())));
    on(router, HttpMethod.GET, "/apis/ferry/v1/watch").handler(this::watch);
    on(router, HttpMethod.GET, OBJECTS).handler(objects::list);
    on(router, HttpMethod.GET, OBJECTS + "/:name").handler(objects::get);
    withBody(router, HttpMethod.PUT, OBJECTS + "/:name").handler(objects::apply);
    on(router, HttpMethod.DELETE, OBJECTS + "/:name").handler(objects::delete);
    withBody(router, HttpMethod.POST, "/apis/ferry/v1/gitsources/:name/sync").handler(this::sync);
    router.route().handler(tag("unmatched")).handler(auth).handler(ctx -> Responses.error(ctx,
        ApiError.notFound("no such endpoint: " + ctx.request().method() + " " + ctx.request().path())));
    router.route().failureHandler(this::failed);
    return router;
  }

  /** A route whose requests are counted under {@code path} and need a valid token. */
  private Route on(Router router, HttpMethod method, String path) {
    return router.route(method, path).handler(tag(path)).handler(auth);
  }

  /** The same, then reading a body of at most 1 MiB (413 past it): only once the token is valid. */
  private Route withBody(Router router, HttpMethod method, String path) {
    return router.route(method, path).handler(tag(path))
        .handler(auth.then(BodyHandler.create(false).setBodyLimit(ApiServerOptions.BODY_LIMIT)));
  }

  /** Names the route for the request counter; a platform handler, so it runs first. */
  private static PlatformHandler tag(String route) {
    return ctx -> {
      ctx.put(ROUTE, route);
      ctx.next();
    };
  }

  private void countRequest(RoutingContext ctx) {
    ctx.addEndHandler(v -> requests.inc(Optional.<String>ofNullable(ctx.get(ROUTE)).orElse("unmatched"),
        ctx.request().method().name(), Integer.toString(ctx.response().getStatusCode())));
    ctx.next();
  }

  private void failed(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      Responses.error(ctx, ApiError.tooLarge(ApiServerOptions.BODY_LIMIT));
    } else if (ctx.failure() != null) {
      Responses.fail(ctx, ctx.failure());
    } else {
      Responses.error(ctx, ApiError.of(ctx.statusCode(), "Error", "the request failed with status " + ctx.statusCode()));
    }
  }

  private void ready(RoutingContext ctx) {
    // A point read of a key that need not exist: cheap, and it proves etcd answers.
    Future.fromCompletionStage(store.get(Kind.NODE, "readyz"), vertx.getOrCreateContext())
        .timeout(2, TimeUnit.SECONDS)
        .onSuccess(v -> Responses.json(ctx, 200, Map.of("status", "ready")))
        .onFailure(e -> Responses.error(ctx, ApiError.of(503, "Unavailable", "etcd does not answer: " + e.getMessage())));
  }

  private void sync(RoutingContext ctx) {
    if (!BearerAuth.require(ctx, Role.EDIT, "sync gitsources")) {
      return;
    }
    String name = ctx.pathParam("name");
    ObjectRoutes.reply(ctx, gitSync.syncNow(name), (GitSource source) -> Responses.json(ctx, 200, source));
  }

  private void watch(RoutingContext ctx) {
    WatchRequest request;
    try {
      request = WatchRequest.parse(ctx.request());
    } catch (IllegalArgumentException e) {
      Responses.error(ctx, ApiError.badRequest(e.getMessage()));
      return;
    }
    String user = BearerAuth.principal(ctx).user();
    Optional<String> refused = reserveWatch(user);
    if (refused.isPresent()) {
      Responses.error(ctx, ApiError.of(429, "TooManyRequests", refused.get()));
      return;
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        watchesByUser.computeIfPresent(user, (u, n) -> n > 1 ? n - 1 : null);
      }
    };
    var context = vertx.getOrCreateContext();
    WatchOptions limits = new WatchOptions(options.heartbeat(), options.watchQueueBytes(),
        ApiServerOptions.MAX_PENDING_FRAMES, slowClients::inc);
    ctx.request().toWebSocket()
        .onSuccess(socket -> {
          WatchSession[] session = new WatchSession[1];
          session[0] = new WatchSession(socket, context, store, request, limits,
              BearerAuth.principal(ctx), BearerAuth.fingerprint(ctx), () -> {
            watches.remove(session[0]);
            release.run();
          });
          watches.add(session[0]);
          session[0].start();
        })
        .onFailure(e -> {
          release.run();
          Responses.error(ctx, ApiError.badRequest(
              "the watch is a WebSocket: connect with an Upgrade request (" + e.getMessage() + ")"));
        });
  }

  /** Counts one more watch of {@code user}, or says why not: too many in all, or of this user. */
  private Optional<String> reserveWatch(String user) {
    // On the event loop; ends run elsewhere too, but each change of a count is atomic.
    int total = watchesByUser.values().stream().mapToInt(Integer::intValue).sum();
    if (total >= options.maxWatches()) {
      return Optional.of("the API server has " + total + " watches open, the most it serves: try again later");
    }
    int mine = watchesByUser.getOrDefault(user, 0);
    if (mine >= options.maxWatchesPerUser()) {
      return Optional.of("user " + user + " has " + mine + " watches open, the most one user may: close one first");
    }
    watchesByUser.merge(user, 1, Integer::sum);
    return Optional.empty();
  }
}
