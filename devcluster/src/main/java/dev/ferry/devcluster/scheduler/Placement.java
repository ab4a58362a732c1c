package dev.ferry.devcluster.scheduler;

import dev.ferry.api.placement.ConstraintMatcher;
import dev.ferry.api.placement.NodeOffer;
import dev.ferry.devcluster.apps.AppDefinition;
import dev.ferry.devcluster.nodes.NodeSpec;
import dev.ferry.devcluster.tasks.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Chooses the node for one more task of an app: the constraints hold (given where the app's
 * tasks already run), its unused cpus and mem suffice, and enough of its ports are free. Among
 * fitting nodes it prefers the one with the fewest tasks of the app, then the least loaded.
 */
final class Placement {

  /** Where a task goes and the host ports it gets. */
  record Choice(NodeSpec node, List<Integer> ports) {}

  private Placement() {}

  /**
   * @param active every active task of every app (they hold resources and ports)
   * @param inUse ports something else on the machine listens on (a snapshot, see {@link PortsInUse})
   */
  static Optional<Choice> choose(AppDefinition app, List<NodeSpec> nodes, Collection<Task> active, Set<Integer> inUse) {
    Map<String, NodeSpec> byName = nodes.stream().collect(Collectors.toMap(NodeSpec::name, n -> n));
    List<NodeOffer> placed = active.stream().filter(t -> t.appId().equals(app.id()))
        .map(t -> byName.get(t.node())).filter(java.util.Objects::nonNull).map(NodeSpec::offer).toList();
    Set<Integer> taken = active.stream().flatMap(t -> t.ports().stream()).collect(Collectors.toSet());
    return nodes.stream()
        .filter(n -> ConstraintMatcher.matchesAll(app.constraints(), n.offer(), placed))
        .filter(n -> fits(app, n, active))
        .sorted(Comparator.comparingLong((NodeSpec n) -> placed.stream().filter(p -> p.hostname().equals(n.name())).count())
            .thenComparingDouble(n -> used(n, active, t -> 1.0)))
        .map(n -> ports(app, n, taken, inUse).map(p -> new Choice(n, p)))
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static boolean fits(AppDefinition app, NodeSpec node, Collection<Task> active) {
    return used(node, active, Task::cpus) + app.cpus() <= node.cpus() + 1e-9
        && used(node, active, Task::mem) + app.mem() <= node.mem() + 1e-9;
  }

  private static double used(NodeSpec node, Collection<Task> active, java.util.function.ToDoubleFunction<Task> what) {
    return active.stream().filter(t -> t.node().equals(node.name())).mapToDouble(what).sum();
  }

  private static Optional<List<Integer>> ports(AppDefinition app, NodeSpec node, Set<Integer> taken, Set<Integer> inUse) {
    int wanted = app.portNames().size();
    if (app.requirePorts()) {
      List<Integer> fixed = app.servicePorts();
      return fixed.stream().allMatch(p -> !taken.contains(p) && !inUse.contains(p)) ? Optional.of(fixed) : Optional.empty();
    }
    List<Integer> chosen = new ArrayList<>();
    for (int port = node.ports().first(); port <= node.ports().last() && chosen.size() < wanted; port++) {
      if (!taken.contains(port) && !inUse.contains(port)) {
        chosen.add(port);
      }
    }
    return chosen.size() == wanted ? Optional.of(chosen) : Optional.empty();
  }
}
