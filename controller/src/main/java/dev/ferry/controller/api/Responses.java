package dev.ferry.controller.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Transfer;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes JSON answers with Ferry's one JSON mapper, minus what no API client may read: the
 * transfer ticket in a Migration's {@code status.transfer}, which only the agents (reading etcd)
 * need. This is the one way objects leave the API (get, list, watch, apply and delete answers).
 */
final class Responses {

  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);
  static final String JSON = "application/json";
  private static final ObjectMapper FOR_CLIENTS = Json.json().copy().addMixIn(Transfer.class, WithoutTicket.class);

  @JsonIgnoreProperties("ticket")
  private abstract static class WithoutTicket {}

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
      return FOR_CLIENTS.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a response", e);
    }
  }
}
