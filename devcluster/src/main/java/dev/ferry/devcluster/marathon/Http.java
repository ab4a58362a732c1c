package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.devcluster.apps.Violation;
import dev.ferry.devcluster.scheduler.AppLockedException;
import dev.ferry.devcluster.scheduler.Deployment;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Reading request bodies and writing JSON answers the way Marathon does. */
final class Http {

  static final String DEPLOYMENT_HEADER = "Marathon-Deployment-Id";

  private Http() {}

  static void json(RoutingContext ctx, int status, JsonNode body) {
    try {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(Json.json().writeValueAsString(body));
    } catch (JsonProcessingException e) {
      ctx.fail(e);
    }
  }

  static void deployment(RoutingContext ctx, int status, Deployment deployment) {
    ctx.response().putHeader(DEPLOYMENT_HEADER, deployment.id());
    json(ctx, status, deployment.result());
  }

  static void error(RoutingContext ctx, Throwable failure) {
    if (failure instanceof ApiError e) {
      json(ctx, e.status(), e.body());
    } else if (failure instanceof AppLockedException e) {
      ApiError locked = ApiError.locked(e.getMessage(), e.deployments().stream().map(Deployment::id).toList());
      json(ctx, locked.status(), locked.body());
    } else {
      ApiError other = ApiError.of(500, String.valueOf(failure.getMessage()));
      json(ctx, 500, other.body());
    }
  }

  /** The body as JSON: 400 when empty or malformed. */
  static JsonNode body(RoutingContext ctx) {
    String text = ctx.body() == null ? "" : ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw ApiError.noData("No content to map due to end-of-input");
    }
    try {
      return Json.json().readTree(text);
    } catch (JsonProcessingException e) {
      throw ApiError.malformed(e.getOriginalMessage());
    }
  }

  /** The body as a JSON object: 422 "Invalid JSON" when it is another JSON value. */
  static ObjectNode object(RoutingContext ctx) {
    JsonNode body = body(ctx);
    if (!body.isObject()) {
      throw ApiError.invalidJson(List.of(Violation.at("", "error.expected.jsobject")));
    }
    return (ObjectNode) body;
  }

  static boolean flag(RoutingContext ctx, String name, boolean byDefault) {
    String value = ctx.request().getParam(name);
    return value == null ? byDefault : Boolean.parseBoolean(value);
  }

  static String clientIp(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
  }
}
