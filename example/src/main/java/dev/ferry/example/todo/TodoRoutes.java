package dev.ferry.example.todo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Todo-Backend API ({@code GET/POST/DELETE /todos}, {@code GET/PATCH/DELETE /todos/{id}},
 * open CORS) and the TodoMVC page at {@code /}. A write is answered only after the store has
 * it; while the database moves, requests wait for it (up to the store's deadline) and then
 * fail with 503.
 */
public final class TodoRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(TodoRoutes.class);
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private final TodoStore store;

  public TodoRoutes(TodoStore store) {
    this.store = store;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route("/todos*").handler(TodoRoutes::cors);
    router.route("/todos*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
    router.get("/todos").handler(ctx -> reply(ctx, 200, store.list().map(todos -> array(todos, todosUrl(ctx)))));
    router.post("/todos").handler(this::create);
    router.delete("/todos").handler(ctx -> reply(ctx, 204, store.clear().map(v -> Optional.of(new JsonObject()))));
    router.get("/todos/:id").handler(ctx -> withId(ctx, id -> reply(ctx, 200, store.get(id).map(t -> json(t, ctx)))));
    router.patch("/todos/:id").handler(this::update);
    router.delete("/todos/:id").handler(ctx -> withId(ctx, id -> reply(ctx, 204, store.delete(id)
        .map(found -> found ? Optional.of(new JsonObject()) : Optional.empty()))));
    router.get("/healthz").handler(ctx -> ctx.response().end("ok"));
    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    return router;
  }

  private void create(RoutingContext ctx) {
    body(ctx).ifPresent(change -> {
      if (change.title().filter(t -> !t.isBlank()).isEmpty()) {
        error(ctx, 400, "title is required");
        return;
      }
      reply(ctx, 201, store.create(change).map(t -> json(Optional.of(t), ctx)));
    });
  }

  private void update(RoutingContext ctx) {
    withId(ctx, id -> body(ctx).ifPresent(change -> reply(ctx, 200, store.update(id, change).map(t -> json(t, ctx)))));
  }

  /** Answers OPTIONS itself; every other response carries the CORS headers too. */
  private static void cors(RoutingContext ctx) {
    ctx.response().putHeader("Access-Control-Allow-Origin", "*")
        .putHeader("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS")
        .putHeader("Access-Control-Allow-Headers", "Content-Type, Accept");
    if (ctx.request().method() == HttpMethod.OPTIONS) {
      ctx.response().setStatusCode(204).end();
    } else {
      ctx.next();
    }
  }

  private static Optional<TodoChange> body(RoutingContext ctx) {
    JsonObject json;
    try {
      json = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "the body must be a JSON object");
      return Optional.empty();
    }
    TodoChange change = TodoChange.parse(json == null ? new JsonObject() : json);
    if (!change.problems().isEmpty()) {
      error(ctx, 400, String.join("; ", change.problems()));
      return Optional.empty();
    }
    return Optional.of(change);
  }

  private static void withId(RoutingContext ctx, LongConsumer then) {
    String raw = ctx.pathParam("id");
    long id;
    try {
      id = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      error(ctx, 404, "no todo " + raw);
      return;
    }
    then.accept(id);
  }

  /** Ends with the status and the JSON, 404 when the result is empty, 503 when the store failed. */
  private static void reply(RoutingContext ctx, int status, Future<? extends Optional<?>> result) {
    result.onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("{} {} failed: {}", ctx.request().method(), ctx.request().path(), ar.cause().getMessage());
        error(ctx, 503, ar.cause().getMessage());
      } else if (ar.result().isEmpty()) {
        error(ctx, 404, "no todo " + ctx.pathParam("id"));
      } else if (status == 204) {
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
            .end(ar.result().get().toString());
      }
    });
  }

  private static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }

  private static Optional<JsonArray> array(List<Todo> todos, String todosUrl) {
    JsonArray out = new JsonArray();
    todos.forEach(t -> out.add(t.toJson(todosUrl)));
    return Optional.of(out);
  }

  private static Optional<JsonObject> json(Optional<Todo> todo, RoutingContext ctx) {
    return todo.map(t -> t.toJson(todosUrl(ctx)));
  }

  /** The collection's URL as the client addressed it, so that each todo's url works for it. */
  private static String todosUrl(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HostAndPort authority = request.authority();
    String host = authority == null ? "localhost" : authority.host() + (authority.port() > 0 ? ":" + authority.port() : "");
    return request.scheme() + "://" + host + "/todos";
  }
}
