package dev.ferry.controller.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One event from Marathon's {@code /v2/events} stream.
 *
 * @param type the SSE event name, e.g. {@code status_update_event}
 * @param data the event's JSON
 */
public record MarathonEvent(String type, JsonNode data) {

  /** The app the event is about, when it names one (where depends on the type). */
  public Optional<String> appId() {
    for (String field : new String[] {"appId", "runSpecId"}) {
      String id = data.path(field).asText("");
      if (!id.isEmpty()) {
        return Optional.of(id);
      }
    }
    String id = data.path("appDefinition").path("id").asText("");
    return id.isEmpty() ? Optional.empty() : Optional.of(id);
  }

  /** The apps a deployment event touches, from its plan's steps. */
  public List<String> deploymentApps() {
    List<String> apps = new ArrayList<>();
    data.path("plan").path("steps").forEach(step -> step.path("actions").forEach(a -> {
      String app = a.path("app").asText("");
      if (!app.isEmpty() && !apps.contains(app)) {
        apps.add(app);
      }
    }));
    data.path("currentStep").path("actions").forEach(a -> {
      String app = a.path("app").asText("");
      if (!app.isEmpty() && !apps.contains(app)) {
        apps.add(app);
      }
    });
    return apps;
  }
}
