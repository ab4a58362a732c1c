package dev.ferry.devcluster.scheduler;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.devcluster.apps.AppDefinition;
import dev.ferry.devcluster.apps.AppId;
import java.util.Optional;
import java.util.UUID;

/**
 * One running deployment: a single-step plan that moves one app to its target (or stops it).
 *
 * @param action Marathon's action name: StartApplication, ScaleApplication, RestartApplication or StopApplication
 * @param previous the definition before this change, for a revert ({@code DELETE /v2/deployments/{id}})
 */
public record Deployment(String id, String version, AppId app, String action, Optional<AppDefinition> previous) {

  public static Deployment start(AppId app, String version, String action, Optional<AppDefinition> previous) {
    return new Deployment(UUID.randomUUID().toString(), version, app, action, previous);
  }

  /** The plan as events carry it: {@code {id, steps:[{actions:[{action, app}]}], version}}. */
  public ObjectNode plan() {
    ObjectNode plan = JsonNodeFactory.instance.objectNode().put("id", id);
    plan.putArray("steps").add(step());
    plan.put("version", version);
    return plan;
  }

  public ObjectNode step() {
    ObjectNode step = JsonNodeFactory.instance.objectNode();
    step.putArray("actions").addObject().put("action", action).put("app", app.path());
    return step;
  }

  /** The {@code GET /v2/deployments} entry ({@code DeploymentStepInfo}). */
  public ObjectNode info() {
    ObjectNode info = JsonNodeFactory.instance.objectNode().put("id", id).put("version", version);
    info.putArray("affectedApps").add(app.path());
    info.putArray("affectedPods");
    info.putArray("steps").add(step());
    info.putArray("currentActions").addObject().put("action", action).put("app", app.path())
        .putArray("readinessCheckResults");
    info.put("currentStep", 1).put("totalSteps", 1);
    return info;
  }

  /** The body of every call that starts a deployment, {@code {deploymentId, version}}. */
  public ObjectNode result() {
    return JsonNodeFactory.instance.objectNode().put("deploymentId", id).put("version", version);
  }
}
