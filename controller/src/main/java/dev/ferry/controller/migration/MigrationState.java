package dev.ferry.controller.migration;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.controller.statefulapp.MarathonView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the migration planner looks at, read fresh at the start of each reconcile.
 *
 * @param nodes the registered (alive) nodes
 * @param marathon the app's Marathon app, if Marathon has one
 * @param now the time the reconcile started, for the timestamps it records
 */
public record MigrationState(
    Migration migration,
    Optional<StatefulApp> app,
    Optional<Dataset> dataset,
    List<Node> nodes,
    Optional<MarathonView> marathon,
    Instant now) {

  public MigrationState {
    nodes = List.copyOf(nodes);
  }

  public Optional<Node> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }
}
