package dev.ferry.controller.placement;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.placement.Constraint;
import dev.ferry.api.placement.ConstraintMatcher;
import dev.ferry.api.placement.NodeOffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the node for a StatefulApp's dataset from the registered (so alive) nodes: it must
 * satisfy the placement constraints and have room for the dataset's quota. Among those, a node
 * that already holds a copy wins (moving back is incremental), then the one with the most free
 * space, then the first by name, so the same cluster always gives the same answer.
 */
public final class Placement {

  private Placement() {}

  /** What constraint matching sees of a Ferry node. */
  public static NodeOffer offer(Node node) {
    return NodeOffer.of(node.spec().hostnameOr(node.name()), node.spec().attributes());
  }

  /** Whether {@code node} satisfies the app's placement constraints. */
  public static boolean satisfies(StatefulApp app, Node node) {
    return ConstraintMatcher.matchesAll(constraints(app), offer(node), List.of());
  }

  /**
   * Picks a node for the app's dataset.
   *
   * @param dataset the dataset as it stands, if it exists: its copies make a node preferable and
   *     need no new space
   * @param exclude a node not to pick (the one the data is moving away from), may be empty
   */
  public static PlacementDecision choose(StatefulApp app, Optional<Dataset> dataset, List<Node> nodes, String exclude) {
    if (nodes.isEmpty()) {
      return PlacementDecision.noFit("no node is registered: is a node agent running?");
    }
    long needed = app.spec().datasetRef().map(d -> d.size().bytes()).orElse(0L);
    List<String> unsuited = new ArrayList<>();
    List<Node> candidates = new ArrayList<>();
    for (Node node : nodes) {
      if (node.name().equals(exclude)) {
        continue;
      }
      boolean hasCopy = dataset.map(d -> d.status().copies().containsKey(node.name())).orElse(false);
      if (!satisfies(app, node)) {
        unsuited.add(node.name() + " " + describe(node));
      } else if (!hasCopy && node.status().poolFreeBytes() < needed) {
        unsuited.add(node.name() + " has " + Quantity.ofBytes(node.status().poolFreeBytes()).bytes()
            + " bytes free, needs " + needed);
      } else {
        candidates.add(node);
      }
    }
    Comparator<Node> preference = Comparator
        .comparing((Node n) -> !dataset.map(d -> d.status().copies().containsKey(n.name())).orElse(false))
        .thenComparing(n -> -n.status().poolFreeBytes())
        .thenComparing(Node::name);
    return candidates.stream().min(preference)
        .<PlacementDecision>map(n -> PlacementDecision.fits(n.name()))
        .orElseGet(() -> PlacementDecision.noFit(noFitReason(app, unsuited)));
  }

  private static String noFitReason(StatefulApp app, List<String> unsuited) {
    String wanted = app.spec().placement().constraints().isEmpty() ? "room for the dataset"
        : "constraints " + app.spec().placement().constraints();
    return unsuited.isEmpty() ? "no other node is registered"
        : "no node satisfies " + wanted + ": " + String.join("; ", unsuited);
  }

  private static String describe(Node node) {
    return node.spec().attributes().isEmpty() ? "has no attributes" : "has " + node.spec().attributes();
  }

  private static List<Constraint> constraints(StatefulApp app) {
    return app.spec().placement().constraints().stream().map(Constraint::parse).toList();
  }
}
