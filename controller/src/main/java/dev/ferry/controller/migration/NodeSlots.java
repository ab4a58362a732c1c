package dev.ferry.controller.migration;

import dev.ferry.api.model.Migration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The cap on migrations a node takes part in at once: at most {@code max} running from one
 * source node, and at most {@code max} running to one target node. A move streams a whole
 * dataset through the source's disk and the target's pool; more of them at once only share the
 * same disks and links, slow each other down, and stretch every app's downtime.
 *
 * <p>A migration holds its slots from when it locks its dataset until it ends. One that would
 * pass the cap waits in Pending (nothing locked, nothing stopped) and starts once a slot frees.
 */
final class NodeSlots {

  /** The condition a waiting migration carries, True while it waits. */
  static final String QUEUED = "Queued";

  private NodeSlots() {}

  /**
   * Why {@code m} must wait, naming the node and the migrations ahead of it; empty when it may
   * start.
   *
   * @param running the other migrations that hold slots now
   */
  static Optional<String> busy(Migration m, List<Migration> running, int max) {
    return full(m, running, max, "from", mig -> mig.spec().from())
        .or(() -> full(m, running, max, "to", mig -> mig.spec().to()));
  }

  private static Optional<String> full(Migration m, List<Migration> running, int max, String direction,
      Function<Migration, String> node) {
    String mine = node.apply(m);
    List<String> ahead = running.stream()
        .filter(other -> !other.name().equals(m.name()) && node.apply(other).equals(mine))
        .map(Migration::name).sorted().toList();
    if (ahead.size() < max) {
      return Optional.empty();
    }
    return Optional.of("queued behind " + String.join(", ", ahead) + ": " + ahead.size() + " migrations " + direction
        + " node " + mine + " are running, the most at once (maxMigrationsPerNode " + max + "); this one starts when"
        + " one of them ends");
  }
}
