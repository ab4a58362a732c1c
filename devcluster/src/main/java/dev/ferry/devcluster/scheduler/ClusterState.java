package dev.ferry.devcluster.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.devcluster.apps.AppDefinition;
import dev.ferry.devcluster.apps.AppId;
import dev.ferry.devcluster.nodes.NodeSpec;
import dev.ferry.devcluster.tasks.Task;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the scheduler knows: nodes, apps, tasks, running deployments, launch backoff and the last
 * failure per app. Only touched on the scheduler's context, so it needs no locking.
 */
final class ClusterState {

  /** Consecutive failures of an app's tasks and the earliest time of its next launch. */
  record Backoff(int failures, Instant notBefore) {}

  final String clusterId;
  final List<NodeSpec> nodes;
  final Map<AppId, AppDefinition> apps = new LinkedHashMap<>();
  /** Every task by id; change it only through {@link #putTask} and {@link #removeTask}. */
  final Map<String, Task> tasks = new LinkedHashMap<>();
  /** The same tasks by app, so that a pass over all apps is linear rather than quadratic. */
  private final Map<AppId, Map<String, Task>> tasksByApp = new HashMap<>();
  final Map<String, Deployment> deployments = new LinkedHashMap<>();
  final Map<AppId, Backoff> backoff = new HashMap<>();
  final Map<AppId, ObjectNode> lastFailure = new HashMap<>();
  /** Every app's past definitions, for {@code /v2/apps/{id}/versions}; kept on disk with the apps. */
  final AppVersions versions = new AppVersions();

  ClusterState(String clusterId, List<NodeSpec> nodes) {
    this.clusterId = clusterId;
    this.nodes = List.copyOf(nodes);
  }

  List<Task> tasksOf(AppId app) {
    return List.copyOf(tasksByApp.getOrDefault(app, Map.of()).values());
  }

  void putTask(Task task) {
    tasks.put(task.id(), task);
    tasksByApp.computeIfAbsent(task.appId(), a -> new LinkedHashMap<>()).put(task.id(), task);
  }

  void removeTask(String taskId) {
    Task task = tasks.remove(taskId);
    if (task != null) {
      Map<String, Task> ofApp = tasksByApp.get(task.appId());
      ofApp.remove(taskId);
      if (ofApp.isEmpty()) {
        tasksByApp.remove(task.appId());
      }
    }
  }

  List<Task> active() {
    return tasks.values().stream().filter(Task::active).toList();
  }

  List<Deployment> deploymentsOf(AppId app) {
    return deployments.values().stream().filter(d -> d.app().equals(app)).toList();
  }

  /** The Mesos agent id of a node, {@code <cluster id>-S<index>}. */
  String slaveId(NodeSpec node) {
    return clusterId + "-S" + nodes.indexOf(node);
  }

  Optional<NodeSpec> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }
}
