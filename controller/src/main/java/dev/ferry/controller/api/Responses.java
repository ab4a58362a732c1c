package dev.ferry.controller.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.api.codec.Json;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes JSON answers with Ferry's one JSON mapper. */
final class Responses {

  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);
  static final String JSON = "application/json";

  private Responses() {}

  static void json(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(encode(body));
  }

  static void error(RoutingContext ctx, ApiError error) {
    if (error.code() >= 500) {
      LOG.warn("{} {} failed: {}", ctx.request().method(), ctx.request().path(), error.message());
    }
    json(ctx, error.code(), error);
  }

  static void fail(RoutingContext ctx, Throwable failure) {
    ApiError error = ApiError.from(failure);
    if (error.code() == 500) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
    }
    error(ctx, error);
  }

  static String encode(Object body) {
    try {
      return Json.json().writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a response", e);
    }
  }
}
