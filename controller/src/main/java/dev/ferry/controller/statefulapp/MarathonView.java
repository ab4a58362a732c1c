package dev.ferry.controller.statefulapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The Marathon app Ferry owns for a StatefulApp, as Marathon last reported it.
 *
 * @param app the app definition as {@code GET /v2/apps/{id}} returns it
 * @param deploying whether a deployment of the app is under way
 */
public record MarathonView(JsonNode app, List<TaskView> tasks, boolean deploying) {

  public MarathonView {
    tasks = List.copyOf(tasks);
  }

  public long healthyTasks() {
    return tasks.stream().filter(t -> t.running() && t.healthy()).count();
  }

  public long runningTasks() {
    return tasks.stream().filter(TaskView::running).count();
  }

  public String version() {
    return app.path("version").asText("");
  }
}
