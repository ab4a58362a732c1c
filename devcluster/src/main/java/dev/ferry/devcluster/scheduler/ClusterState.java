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
  final Map<String, Task> tasks = new LinkedHashMap<>();
  final Map<String, Deployment> deployments = new LinkedHashMap<>();
  final Map<AppId, Backoff> backoff = new HashMap<>();
  final Map<AppId, ObjectNode> lastFailure = new HashMap<>();

  ClusterState(String clusterId, List<NodeSpec> nodes) {
    this.clusterId = clusterId;
    this.nodes = List.copyOf(nodes);
  }

  List<Task> tasksOf(AppId app) {
    return tasks.values().stream().filter(t -> t.appId().equals(app)).toList();
  }

  List<Task> active() {
    return tasks.values().stream().filter(Task::active).toList();
  }

  List<Deployment> deploymentsOf(AppId app) {
    return deployments.values().stream().filter(d -> d.app().equals(app)).toList();
  }

  Optional<AppId> appBySafeName(String safeName) {
    return apps.keySet().stream().filter(a -> a.safeName().equals(safeName)).findFirst()
        .or(() -> tasks.values().stream().map(Task::appId).filter(a -> a.safeName().equals(safeName)).findFirst());
  }

  /** The Mesos agent id of a node, {@code <cluster id>-S<index>}. */
  String slaveId(NodeSpec node) {
    return clusterId + "-S" + nodes.indexOf(node);
  }

  Optional<NodeSpec> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }
}
