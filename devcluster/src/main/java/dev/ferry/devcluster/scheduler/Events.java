package dev.ferry.devcluster.scheduler;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.devcluster.events.MarathonEvent;
import dev.ferry.devcluster.tasks.Task;

/** Builds the events the scheduler publishes, with the fields Marathon's code writes. */
final class Events {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Events() {}

  static MarathonEvent statusUpdate(Task task) {
    ObjectNode e = F.objectNode().put("slaveId", task.slaveId()).put("taskId", task.id())
        .put("taskStatus", task.state().name()).put("message", task.message())
        .put("appId", task.appId().path()).put("host", task.host());
    e.putArray("ipAddresses").addObject().put("ipAddress", task.host()).put("protocol", "IPv4");
    task.ports().forEach(e.putArray("ports")::add);
    e.put("version", task.version());
    return MarathonEvent.of("status_update_event", e);
  }

  static MarathonEvent healthChanged(Task task, boolean alive) {
    return MarathonEvent.of("health_status_changed_event", F.objectNode().put("appId", task.appId().path())
        .put("instanceId", task.instanceId()).put("version", task.version()).put("alive", alive));
  }

  static MarathonEvent unhealthyKill(Task task, String reason) {
    return MarathonEvent.of("unhealthy_instance_kill_event", F.objectNode().put("appId", task.appId().path())
        .put("taskId", task.id()).put("instanceId", task.instanceId()).put("version", task.version())
        .put("reason", reason).put("host", task.host()).put("slaveId", task.slaveId()));
  }

  static MarathonEvent deploymentInfo(Deployment d) {
    ObjectNode e = F.objectNode();
    e.set("plan", d.plan());
    e.set("currentStep", d.step());
    return MarathonEvent.of("deployment_info", e);
  }

  static MarathonEvent deploymentStepSuccess(Deployment d) {
    ObjectNode e = F.objectNode();
    e.set("plan", d.plan());
    e.set("currentStep", d.step());
    return MarathonEvent.of("deployment_step_success", e);
  }

  static MarathonEvent deploymentSuccess(Deployment d) {
    ObjectNode e = F.objectNode().put("id", d.id());
    e.set("plan", d.plan());
    return MarathonEvent.of("deployment_success", e);
  }

  static MarathonEvent deploymentFailed(Deployment d, String reason) {
    ObjectNode e = F.objectNode().put("id", d.id());
    e.set("plan", d.plan());
    e.put("reason", reason);
    return MarathonEvent.of("deployment_failed", e);
  }

  static MarathonEvent apiPost(String clientIp, String uri, ObjectNode app) {
    ObjectNode e = F.objectNode().put("clientIp", clientIp).put("uri", uri);
    e.set("appDefinition", app);
    return MarathonEvent.of("api_post_event", e);
  }

  static MarathonEvent appTerminated(String appId) {
    return MarathonEvent.of("app_terminated_event", F.objectNode().put("appId", appId));
  }
}
