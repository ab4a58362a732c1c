package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.devcluster.apps.AppDefinition;
import dev.ferry.devcluster.scheduler.Scheduler;
import dev.ferry.devcluster.tasks.Task;
import dev.ferry.devcluster.tasks.TaskState;
import java.util.List;
import java.util.Set;

/** An app as the API writes it ({@code AppInfo}): the definition plus what {@code embed} asks for. */
final class AppJson {

  enum Embed { COUNTS, DEPLOYMENTS, TASKS, LAST_TASK_FAILURE }

  private AppJson() {}

  /** Parses {@code embed} values, with or without an {@code app.}/{@code apps.}/{@code group.apps.} prefix. */
  static Set<Embed> embeds(List<String> values) {
    java.util.EnumSet<Embed> embeds = java.util.EnumSet.noneOf(Embed.class);
    for (String value : values) {
      switch (value.replaceFirst("^(group\\.apps|apps|app)\\.", "")) {
        case "counts" -> embeds.add(Embed.COUNTS);
        case "deployments" -> embeds.add(Embed.DEPLOYMENTS);
        case "tasks" -> embeds.addAll(List.of(Embed.TASKS, Embed.DEPLOYMENTS));
        case "lastTaskFailure" -> embeds.add(Embed.LAST_TASK_FAILURE);
        case "failures" -> embeds.addAll(List.of(Embed.TASKS, Embed.LAST_TASK_FAILURE, Embed.DEPLOYMENTS));
        default -> { }
      }
    }
    return embeds;
  }

  static ObjectNode of(AppDefinition app, Scheduler scheduler, Set<Embed> embeds) {
    ObjectNode json = app.json();
    List<Task> tasks = scheduler.tasksOf(app.id());
    if (embeds.contains(Embed.COUNTS)) {
      counts(json, tasks, scheduler);
    }
    if (embeds.contains(Embed.DEPLOYMENTS)) {
      ArrayNode deployments = json.putArray("deployments");
      scheduler.deploymentsOf(app.id()).forEach(d -> deployments.addObject().put("id", d.id()));
    }
    if (embeds.contains(Embed.TASKS)) {
      ArrayNode array = json.putArray("tasks");
      tasks.forEach(t -> array.add(TaskJson.of(t, scheduler)));
    }
    if (embeds.contains(Embed.LAST_TASK_FAILURE)) {
      scheduler.lastTaskFailure(app.id()).ifPresent(f -> json.set("lastTaskFailure", f));
    }
    return json;
  }

  static void counts(ObjectNode json, List<Task> tasks, Scheduler scheduler) {
    boolean checked = json.path("healthChecks").size() > 0;
    json.put("tasksStaged", tasks.stream().filter(t -> t.state() == TaskState.TASK_STAGING || t.state() == TaskState.TASK_STARTING).count());
    json.put("tasksRunning", tasks.stream().filter(t -> t.state() == TaskState.TASK_RUNNING).count());
    json.put("tasksHealthy", checked ? tasks.stream().filter(t -> t.state() == TaskState.TASK_RUNNING && scheduler.healthy(t.id())).count() : 0);
    json.put("tasksUnhealthy", checked ? tasks.stream().filter(t -> t.state() == TaskState.TASK_RUNNING && !scheduler.healthy(t.id())).count() : 0);
  }
}
