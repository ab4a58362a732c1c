package dev.ferry.controller.placement;

import java.util.Optional;

/**
 * Where a dataset (and its app) may go: a node, or why no node will do.
 *
 * @param node the chosen node, empty when none fits
 * @param reason why none fits, empty when one does
 */
public record PlacementDecision(Optional<String> node, String reason) {

  public static PlacementDecision fits(String node) {
    return new PlacementDecision(Optional.of(node), "");
  }

  public static PlacementDecision noFit(String reason) {
    return new PlacementDecision(Optional.empty(), reason);
  }
}
