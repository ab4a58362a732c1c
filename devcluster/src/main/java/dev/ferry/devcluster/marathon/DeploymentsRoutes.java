package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.devcluster.scheduler.Deployment;
import dev.ferry.devcluster.scheduler.Scheduler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /v2/deployments}: the running deployments; cancel (force) or revert one ({@code DeploymentsResource}). */
final class DeploymentsRoutes {

  private final Scheduler scheduler;

  DeploymentsRoutes(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  void mount(Router router) {
    router.get("/v2/deployments").handler(this::list);
    router.delete("/v2/deployments/:id").handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    scheduler.deployments().forEach(d -> list.add(d.info()));
    Http.json(ctx, 200, list);
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ApiError missing = ApiError.notFound("DeploymentPlan " + id + " does not exist");
    if (Http.flag(ctx, "force", false)) {
      if (!scheduler.cancel(id)) {
        throw missing;
      }
      ctx.response().setStatusCode(202).end();
      return;
    }
    Deployment revert = scheduler.revert(id).orElseThrow(() -> missing);
    Http.deployment(ctx, 200, revert);
  }
}
