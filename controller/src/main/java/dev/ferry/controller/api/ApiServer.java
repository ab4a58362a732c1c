package dev.ferry.controller.api;

import dev.ferry.api.build.BuildVersion;
import dev.ferry.api.model.GitSource;
import dev.ferry.api.model.Kind;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.tls.VertxTls;
import dev.ferry.controller.auth.Role;
import dev.ferry.controller.auth.ReloadingTokens;
import dev.ferry.controller.gitops.GitSyncTrigger;
import dev.ferry.api.metrics.PrometheusMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ferry's API, one verticle. Every endpoint but the probes and the git webhook needs a bearer token
 * ({@link BearerAuth}); answers are JSON, errors are {@link ApiError}s.
 *
 * <pre>
 * GET    /healthz                          open; 200 while the process runs
 * GET    /readyz                           open; 200 when etcd answers, else 503 (no detail: it is open)
 * GET    /ui/                              open; the dashboard's page, style sheet and script
 *                                          ({@link DashboardRoute}); its data calls need a token
 * GET    /metrics                          metrics (a token only Prometheus needs) or view; Prometheus text
 * GET    /version                          view; {"version": ...}
 * GET    /apis/ferry/v1/&lt;plural&gt;            view; ?labelSelector=&amp;limit=&amp;continue=; a page of at most
 *                                          maxListPage objects with metadata.resourceVersion, and
 *                                          metadata.continue while more remain ({@link ContinueToken})
 * GET    /apis/ferry/v1/&lt;plural&gt;/&lt;name&gt;     view
 * PUT    /apis/ferry/v1/&lt;plural&gt;/&lt;name&gt;     edit (admin for nodes, events); apply, body YAML or JSON,
 *                                          ?dryRun=true; 201 created, 200 configured or unchanged,
 *                                          header Ferry-Outcome: created|configured|unchanged
 * DELETE /apis/ferry/v1/&lt;plural&gt;/&lt;name&gt;     same roles; ?resourceVersion=N precondition, ?dryRun=true;
 *                                          200 deleted, or 202 deleting (finalizers pending)
 * POST   /apis/ferry/v1/gitsources/&lt;name&gt;/sync   edit; syncs now, answers the GitSource
 * POST   /hooks/gitsources/&lt;name&gt;          open, signed with the GitSource's webhook secret
 *                                          ({@link GitWebhookRoute}); 202, the sync follows
 * GET    /apis/ferry/v1/watch              view; WebSocket, see {@link WatchFrame}; a browser sends the
 *                                          token as a subprotocol ({@link BearerAuth})
 * </pre>
 *
 * <p>The token is checked before a body is read; bodies over 1 MiB are refused with 413, a
 * connection idle for {@link ApiServerOptions#idleTimeout} is closed, watches beyond
 * {@link ApiServerOptions#maxWatches} in all or {@link ApiServerOptions#maxWatchesPerUser} per
 * user are refused with 429; unreadable input with 400; invalid objects with 422
 * (every problem with its field); a stale resourceVersion with 409; a create past its kind's
 * quota with 403 ({@link dev.ferry.controller.admission.ObjectQuotas}); a list continued from a
 * compacted revision with 410. The event loop never
 * blocks: store calls are asynchronous and complete back on the request's context.
 */
public final class ApiServer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final String ROUTE = "ferry.route";
  private static final String OBJECTS = "/apis/ferry/v1/:plural";
  /** A request is a store read or write, or a WebSocket's whole life (a watch). */
  private static final Duration[] REQUEST_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10)};

  private final ApiServerOptions options;
  private final EtcdStore store;
  private final ReloadingTokens tokens;
  private final BearerAuth auth;
  private final BearerAuth scrapeAuth;
  private final PrometheusMetrics metrics;
  private final GitSyncTrigger gitSync;
  private final Set<WatchSession> watches = ConcurrentHashMap.newKeySet();
  /** Open (or opening) watches by user, for the caps. */
  private final Map<String, Integer> watchesByUser = new ConcurrentHashMap<>();
  private final Counter slowClients;
  private HttpServer server;

  /**
   * @param tokens the tokens file: read again every {@link ReloadingTokens#INTERVAL} while the
   *     server runs, and a watch whose token is no longer in it is closed
   */
  public ApiServer(ApiServerOptions options, EtcdStore store, ReloadingTokens tokens, PrometheusMetrics metrics,
      GitSyncTrigger gitSync) {
    this.options = options;
    this.store = store;
    this.tokens = tokens;
    this.auth = new BearerAuth(tokens, Role.VIEW);
    this.scrapeAuth = new BearerAuth(tokens, Role.METRICS);
    this.metrics = metrics;
    this.gitSync = gitSync;
    this.slowClients = Counter.builder("ferry.api.watch.slow.disconnects")
        .description("Watch clients disconnected because they did not keep up").register(metrics.registry());
    Gauge.builder("ferry.api.watches", watches, Set::size).description("Open watch WebSockets")
        .register(metrics.registry());
  }

  @Override
  public Future<?> start() {
    HttpServerOptions http = new HttpServerOptions().setHost(options.host()).setPort(options.port())
        .setIdleTimeout((int) options.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    // The watch answers the subprotocol a browser offers beside its token (BearerAuth).
    http.setWebSocketSubProtocols(List.of(BearerAuth.SUBPROTOCOL));
    options.tls().ifPresent(files -> VertxTls.serve(http, files, false));
    return vertx.executeBlocking(DashboardRoute::load)
        .compose(dashboard -> vertx.createHttpServer(http).requestHandler(router(dashboard)).listen())
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

  /**
   * The routes the server answers, as its router holds them: the security suite enumerates them,
   * so that a route added without a token check fails a test (RouteTableTest). Blocking: it reads
   * the dashboard's files.
   */
  List<Route> routes() {
    return router(DashboardRoute.load()).getRoutes();
  }

  private Router router(DashboardRoute dashboard) {
    Router router = Router.router(vertx);
    router.route().handler((PlatformHandler) this::countRequest);
    ObjectRoutes objects = new ObjectRoutes(store, options);

    router.get("/healthz").handler(tag("/healthz")).handler(ctx -> Responses.json(ctx, 200, Map.of("status", "ok")));
    router.get("/readyz").handler(tag("/readyz")).handler(this::ready);
    // The dashboard's files hold no data: open, like the probes; its data calls need a token.
    router.route(HttpMethod.GET, "/ui").handler(tag("/ui/")).handler(dashboard);
    router.route(HttpMethod.GET, DashboardRoute.PATH + "*").handler(tag("/ui/")).handler(dashboard);
    router.route(HttpMethod.HEAD, DashboardRoute.PATH + "*").handler(tag("/ui/")).handler(dashboard);
    router.get("/metrics").handler(tag("/metrics")).handler(scrapeAuth).handler(this::scrape);
    on(router, HttpMethod.GET, "/version").handler(ctx -> Responses.json(ctx, 200, Map.of("version", options.version())));
    on(router, HttpMethod.GET, "/apis/ferry/v1/watch").handler(this::watch);
    on(router, HttpMethod.GET, OBJECTS).handler(objects::list);
    on(router, HttpMethod.GET, OBJECTS + "/:name").handler(objects::get);
    withBody(router, HttpMethod.PUT, OBJECTS + "/:name").handler(objects::apply);
    on(router, HttpMethod.DELETE, OBJECTS + "/:name").handler(objects::delete);
    withBody(router, HttpMethod.POST, "/apis/ferry/v1/gitsources/:name/sync").handler(this::sync);
    // No bearer token: a git server signs the call with the GitSource's webhook secret instead.
    router.post(GitWebhookRoute.PATH).handler(tag(GitWebhookRoute.PATH))
        .handler(BodyHandler.create(false).setBodyLimit(ApiServerOptions.BODY_LIMIT)).handler(new GitWebhookRoute(store, gitSync));
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

  /** Names the route for the request metrics; a platform handler, so it runs first. */
  private static PlatformHandler tag(String route) {
    return ctx -> {
      ctx.put(ROUTE, route);
      ctx.next();
    };
  }

  /**
   * Counts the request and times it, by route template (never the raw path: the labels stay
   * few whatever clients send), method and status code.
   */
  private void countRequest(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(v -> {
      String[] tags = {"route", Optional.<String>ofNullable(ctx.get(ROUTE)).orElse("unmatched"),
          "method", ctx.request().method().name(), "code", Integer.toString(ctx.response().getStatusCode())};
      Counter.builder("ferry.api.requests").description("API requests by route, method and status code")
          .tags(tags).register(metrics.registry()).increment();
      Timer.builder("ferry.api.request.duration").description("How long API requests took, by route, method and code")
          .tags(tags).serviceLevelObjectives(REQUEST_BUCKETS).register(metrics.registry())
          .record(Duration.ofNanos(System.nanoTime() - start));
    });
    ctx.next();
  }

  private void scrape(RoutingContext ctx) {
    // Formatting every meter takes a millisecond or so: not worth a worker thread.
    ctx.response().putHeader("Content-Type", PrometheusMetrics.CONTENT_TYPE).end(metrics.scrape());
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
        // Open to anyone, so the answer says no more than the status does; the log says why.
        .onFailure(e -> {
          LOG.warn("not ready: etcd does not answer: {}", e.toString());
          Responses.error(ctx, ApiError.of(503, "Unavailable", "not ready"));
        });
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
        ApiServerOptions.MAX_PENDING_FRAMES, slowClients::increment);
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
