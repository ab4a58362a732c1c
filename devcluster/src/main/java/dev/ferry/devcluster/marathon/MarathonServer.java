package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.devcluster.scheduler.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/**
 * The Marathon v2 HTTP API over a {@link Scheduler}, behind an {@link ApiGuard}. Create it on the
 * scheduler's context.
 */
public final class MarathonServer {

  private final Vertx vertx;
  private final Scheduler scheduler;
  private final ApiAccess access;
  private HttpServer server;

  public MarathonServer(Vertx vertx, Scheduler scheduler, ApiAccess access) {
    this.vertx = vertx;
    this.scheduler = scheduler;
    this.access = access;
  }

  /**
   * Listens on {@code host:port}; fails clearly when the port is taken. Port 0 picks a free one.
   *
   * @param localAddresses this machine's addresses: requests may name them when {@code host} is a wildcard
   */
  public Future<Integer> listen(String host, int port, List<String> localAddresses) {
    Router router = Router.router(vertx);
    // Before the body handler: a refused request's body is never read.
    router.route().handler(new ApiGuard(access, AllowedHosts.of(host, localAddresses, access.serverNames())));
    router.route().handler(BodyHandler.create().setBodyLimit(1 << 20));
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Marathon-Leader", "http://" + host + ":" + actualPort(port))
          .putHeader("X-Frame-Options", "DENY").putHeader("X-XSS-Protection", "1; mode=block");
      ctx.next();
    });
    new AppsRoutes(scheduler).mount(router);
    new TasksRoutes(scheduler).mount(router);
    new DeploymentsRoutes(scheduler).mount(router);
    new GroupsRoutes(scheduler).mount(router);
    new QueueRoute(scheduler).mount(router);
    new EventsRoute(scheduler.events()).mount(router);
    new SystemRoutes(scheduler, host, () -> actualPort(port)).mount(router);
    new MesosRoutes(scheduler).mount(router);
    // Marathon answers unknown routes with 500 "URI not found" (Jersey's NotFoundException).
    router.route().last().handler(ctx -> Http.json(ctx, 500, JsonNodeFactory.instance.objectNode().put("message", "URI not found")));
    router.route().failureHandler(ctx -> Http.error(ctx, ctx.failure() == null
        ? ApiError.of(ctx.statusCode(), "HTTP " + ctx.statusCode()) : ctx.failure()));
    return vertx.createHttpServer().requestHandler(router).listen(port, host)
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); is another Marathon or devcluster running? Choose another port with --port", e)))
        .map(s -> {
          server = s;
          return s.actualPort();
        });
  }

  private int actualPort(int configured) {
    return server == null ? configured : server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
