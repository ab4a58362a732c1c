package dev.ferry.agent.snapshots;

import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.Snapshot;
import dev.ferry.api.transfer.TransferPlanner;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of one copy's snapshots may be destroyed, from the copy's snapshots and the other copies
 * the Dataset reports. Pure, so every case is a test row.
 *
 * <p>A copy keeps, for every other copy, the newest snapshot the two share (by guid): it is the
 * base of the next incremental stream between them, in either direction, so a move back to an
 * old copy stays incremental. It also keeps every held snapshot (a running migration's rounds),
 * every snapshot not named {@code ferry-*} (someone else's), and everything newer than its newest
 * shared snapshot (a round in flight, or one the other side received but has not reported yet).
 * When no other copy shares a snapshot, nothing is destroyed: the reports may simply lag.
 */
public final class SnapshotPruning {

  /** The prefix of the snapshots Ferry takes, and the only ones it ever destroys. */
  public static final String PREFIX = "ferry-";

  private SnapshotPruning() {}

  /**
   * @param node this copy's node, whose own entry in {@code copies} is ignored
   * @param local this copy's snapshots, oldest first
   * @param held the names of this copy's snapshots that carry a hold
   * @param copies every node's copy as the Dataset's {@code status.copies} reports it
   * @return the snapshots to destroy, oldest first
   */
  public static List<Snapshot> prunable(String node, List<Snapshot> local, Set<String> held,
      Map<String, DatasetCopy> copies) {
    Set<String> anchors = new HashSet<>();
    copies.forEach((other, copy) -> {
      if (!other.equals(node)) {
        TransferPlanner.newestCommon(copy.snapshots(), local).map(Snapshot::guid).ifPresent(anchors::add);
      }
    });
    int newestAnchor = -1;
    for (int i = 0; i < local.size(); i++) {
      if (anchors.contains(local.get(i).guid())) {
        newestAnchor = i;
      }
    }
    return local.subList(0, Math.max(newestAnchor, 0)).stream()
        .filter(s -> s.name().startsWith(PREFIX) && !anchors.contains(s.guid()) && !held.contains(s.name()))
        .toList();
  }
}
