package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.devcluster.scheduler.Scheduler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v2/queue} (raml/v2/queue.raml, types/queue.raml, examples/queue.json): every app
 * with fewer active tasks than instances, with how many are missing and how long its launch
 * backoff still holds it. devcluster has no offers, so the offer summary counts none.
 */
final class QueueRoute {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Scheduler scheduler;

  QueueRoute(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  void mount(Router router) {
    router.get("/v2/queue").handler(this::queue);
  }

  private void queue(RoutingContext ctx) {
    ArrayNode queue = F.arrayNode();
    for (Scheduler.QueuedApp waiting : scheduler.queue()) {
      ObjectNode item = queue.addObject();
      item.set("app", waiting.app().json());
      item.put("count", waiting.count()).put("role", waiting.app().json().path("role").asText("*"));
      item.putObject("delay").put("timeLeftSeconds", waiting.delaySeconds()).put("overdue", waiting.delaySeconds() == 0);
      item.put("since", waiting.since());
      item.putObject("processedOffersSummary").put("processedOffersCount", 0).put("unusedOffersCount", 0);
    }
    Http.json(ctx, 200, F.objectNode().set("queue", queue));
  }
}
