package dev.ferry.controller.statefulapp;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.StatefulApp;
import java.util.List;
import java.util.Optional;

/**
 * Everything the StatefulApp planner looks at, read fresh at the start of each reconcile.
 *
 * @param dataset the Dataset the app names, if it exists
 * @param nodes the registered nodes: a node whose agent died has no Node object
 * @param migration the app's unfinished Migration, if any
 * @param marathon the app's Marathon app, if Marathon has one
 */
public record AppState(
    StatefulApp app,
    Optional<Dataset> dataset,
    List<Node> nodes,
    Optional<Migration> migration,
    Optional<MarathonView> marathon) {

  public AppState {
    nodes = List.copyOf(nodes);
  }

  public Optional<Node> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }
}
