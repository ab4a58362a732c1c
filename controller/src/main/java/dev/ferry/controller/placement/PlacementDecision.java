package dev.ferry.controller.placement;

/** Where a dataset (and its app) may go: a node, or why no node will do. */
public sealed interface PlacementDecision {

  record Fits(String node) implements PlacementDecision {}

  record NoFit(String reason) implements PlacementDecision {}

  static PlacementDecision fits(String node) {
    return new Fits(node);
  }

  static PlacementDecision noFit(String reason) {
    return new NoFit(reason);
  }
}
