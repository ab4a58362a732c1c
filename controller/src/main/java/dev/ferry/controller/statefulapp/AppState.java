package dev.ferry.controller.statefulapp;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.controller.marathon.TaskGuard;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the StatefulApp planner looks at, read fresh at the start of each reconcile.
 *
 * @param dataset the Dataset the app names, if it exists
 * @param nodes the registered nodes: a node whose agent died has no Node object
 * @param migration the app's unfinished Migration, if any
 * @param marathon the app's Marathon app, if Marathon has one
 * @param retry how its recent moves went, so that a failed one is not retried at once
 * @param lockHolderGone the dataset is locked by a Migration that no longer exists (a user
 *     deleted it): nothing will ever release the lock but this app's reconciler
 * @param now when the reconcile started
 * @param guard where {@code ferry-task-guard} is on the agents, for the Marathon app
 */
public record AppState(
    StatefulApp app,
    Optional<Dataset> dataset,
    List<Node> nodes,
    Optional<Migration> migration,
    Optional<MarathonView> marathon,
    MigrationRetry retry,
    boolean lockHolderGone,
    Instant now,
    TaskGuard guard) {

  public AppState {
    nodes = List.copyOf(nodes);
  }

  /** A state with no failed moves behind it, at the epoch, with the installed guard: what most planner cases need. */
  public AppState(StatefulApp app, Optional<Dataset> dataset, List<Node> nodes, Optional<Migration> migration,
      Optional<MarathonView> marathon) {
    this(app, dataset, nodes, migration, marathon, MigrationRetry.NONE, false, Instant.EPOCH, TaskGuard.INSTALLED);
  }

  public Optional<Node> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }
}
