package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.devcluster.scheduler.Deployment;
import dev.ferry.devcluster.scheduler.Scheduler;
import dev.ferry.devcluster.tasks.Task;
import dev.ferry.devcluster.tasks.TaskIds;
import dev.ferry.devcluster.tasks.TaskState;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code /v2/tasks}: list all tasks, kill some ({@code TasksResource}). */
final class TasksRoutes {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final Scheduler scheduler;

  TasksRoutes(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  void mount(Router router) {
    router.get("/v2/tasks").handler(this::list);
    router.post("/v2/tasks/delete").handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    List<String> wanted = new ArrayList<>(ctx.queryParam("status"));
    wanted.addAll(ctx.queryParam("status[]"));
    Set<TaskState> states = wanted.stream().map(s -> switch (s) {
      case "running" -> TaskState.TASK_RUNNING;
      case "staging" -> TaskState.TASK_STAGING;
      default -> null;
    }).filter(s -> s != null).collect(Collectors.toSet());
    ArrayNode tasks = F.arrayNode();
    scheduler.tasks().stream().filter(t -> states.isEmpty() || states.contains(t.state()))
        .forEach(t -> tasks.add(TaskJson.of(t, scheduler)));
    Http.json(ctx, 200, F.objectNode().set("tasks", tasks));
  }

  private void delete(RoutingContext ctx) {
    boolean scale = Http.flag(ctx, "scale", false);
    if (scale && Http.flag(ctx, "wipe", false)) {
      throw ApiError.of(400, "You cannot use scale and wipe at the same time.");
    }
    JsonNode body = Http.object(ctx);
    List<String> ids = new ArrayList<>();
    body.path("ids").forEach(id -> ids.add(id.asText()));
    for (String id : ids) {
      if (TaskIds.safeAppName(id).isEmpty()) {
        throw ApiError.of(400, "Invalid task id '" + id + "'. [" + id + "]");
      }
    }
    if (scale) {
      List<Deployment> deployments = scheduler.killAndScale(ids);
      if (!deployments.isEmpty()) {
        Http.deployment(ctx, 200, deployments.get(deployments.size() - 1));
        return;
      }
    }
    // wipe also destroys local persistent volumes; devcluster has none, so it is a plain kill.
    List<Task> killed = scale ? List.of() : scheduler.kill(ids);
    ArrayNode tasks = F.arrayNode();
    killed.forEach(t -> tasks.add(TaskJson.of(t, scheduler)));
    Http.json(ctx, 200, F.objectNode().set("tasks", tasks));
  }
}
