package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.api.codec.Json;
import dev.ferry.devcluster.events.EventBus;
import dev.ferry.devcluster.events.MarathonEvent;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code GET /v2/events}: Server-Sent Events, {@code event: <type>\ndata: <json>\n\n}, filtered by
 * the repeatable {@code event_type}. Needs {@code Accept: text/event-stream} (else 405). A client
 * that cannot keep up is disconnected rather than buffered without bound.
 */
final class EventsRoute {

  private final EventBus events;

  EventsRoute(EventBus events) {
    this.events = events;
  }

  void mount(Router router) {
    router.get("/v2/events").handler(this::stream);
  }

  private void stream(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    if (accept == null || !accept.contains("text/event-stream")) {
      Http.json(ctx, 405, JsonNodeFactory.instance.objectNode().put("message", "HTTP 405 Method Not Allowed"));
      return;
    }
    Set<String> types = new HashSet<>(ctx.queryParam("event_type"));
    HttpServerResponse response = ctx.response().setChunked(true).setStatusCode(200)
        .putHeader("Content-Type", "text/event-stream;charset=utf-8").putHeader("Cache-Control", "no-cache");
    response.write("\n");
    Runnable unsubscribe = events.subscribe(event -> send(response, types, event));
    response.closeHandler(v -> unsubscribe.run());
    response.exceptionHandler(e -> unsubscribe.run());
    send(response, types, MarathonEvent.of("event_stream_attached",
        JsonNodeFactory.instance.objectNode().put("remoteAddress", Http.clientIp(ctx))));
  }

  private static void send(HttpServerResponse response, Set<String> types, MarathonEvent event) {
    if (response.closed() || (!types.isEmpty() && !types.contains(event.type()))) {
      return;
    }
    if (response.writeQueueFull()) {
      response.reset();
      return;
    }
    try {
      response.write("event: " + event.type() + "\ndata: " + Json.json().writeValueAsString(event.payload()) + "\n\n");
    } catch (JsonProcessingException e) {
      response.reset();
    }
  }
}
