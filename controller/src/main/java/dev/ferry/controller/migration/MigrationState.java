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
 * @param running the other migrations that hold node slots now ({@link NodeSlots}): started, or
 *     holding their dataset's lock, and not finished
 * @param maxPerNode how many migrations may run at once from one node, and to one node
 */
public record MigrationState(
    Migration migration,
    Optional<StatefulApp> app,
    Optional<Dataset> dataset,
    List<Node> nodes,
    Optional<MarathonView> marathon,
    Instant now,
    List<Migration> running,
    int maxPerNode) {

  public MigrationState {
    nodes = List.copyOf(nodes);
    running = List.copyOf(running);
    if (maxPerNode < 1) {
      throw new IllegalArgumentException("maxPerNode must be 1 or more, not " + maxPerNode);
    }
  }

  /** A migration with no other running, as most of the planner's cases need. */
  public MigrationState(Migration migration, Optional<StatefulApp> app, Optional<Dataset> dataset, List<Node> nodes,
      Optional<MarathonView> marathon, Instant now) {
    this(migration, app, dataset, nodes, marathon, now, List.of(), Integer.MAX_VALUE);
  }

  public Optional<Node> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }
}
