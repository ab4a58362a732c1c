package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.devcluster.scheduler.Scheduler;
import dev.ferry.devcluster.tasks.Task;

/** A task as {@code GET /v2/tasks} writes it (type {@code Task}); the agent is {@code slaveId}. */
final class TaskJson {

  private TaskJson() {}

  static ObjectNode of(Task task, Scheduler scheduler) {
    ObjectNode json = JsonNodeFactory.instance.objectNode().put("id", task.id()).put("appId", task.appId().path())
        .put("host", task.host());
    ArrayNode ports = json.putArray("ports");
    task.ports().forEach(ports::add);
    ArrayNode servicePorts = json.putArray("servicePorts");
    scheduler.app(task.appId()).ifPresent(app -> app.servicePorts().forEach(servicePorts::add));
    json.putArray("ipAddresses").addObject().put("ipAddress", task.host()).put("protocol", "IPv4");
    json.put("stagedAt", task.stagedAt().toString());
    task.startedAt().ifPresent(s -> json.put("startedAt", s.toString()));
    json.put("version", task.version()).put("slaveId", task.slaveId()).put("state", task.state().name());
    ArrayNode health = json.putArray("healthCheckResults");
    String instanceId = task.instanceId();
    scheduler.health(task.id()).forEach(h -> health.add(h.json(instanceId)));
    json.putArray("localVolumes");
    json.put("role", "*");
    return json;
  }
}
