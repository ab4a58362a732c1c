package dev.ferry.agent.snapshots;

import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsException;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.Snapshot;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one copy's snapshots tidy each time the agent looks at its Dataset: releases the agent's
 * holds once no migration owns the dataset, then destroys what {@link SnapshotPruning} says may
 * go. Blocking: call it on a worker thread, never while a stream is received into the copy.
 */
public final class SnapshotHousekeeping {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotHousekeeping.class);

  private final ZfsDriver zfs;
  private final SnapshotHolds holds;
  private final String node;

  public SnapshotHousekeeping(ZfsDriver zfs, SnapshotHolds holds, String node) {
    this.zfs = zfs;
    this.holds = holds;
    this.node = node;
  }

  /**
   * Tidies this node's copy of {@code dataset}, which exists.
   *
   * @param snapshots the copy's snapshots as the caller just listed them, oldest first
   * @return how many snapshots were destroyed
   */
  public int tidy(DatasetName dataset, Dataset current, List<Snapshot> snapshots) {
    if (current.spec().migration().isEmpty()) {
      holds.releaseAll(dataset);
    }
    List<Snapshot> prunable = SnapshotPruning.prunable(node, snapshots, zfs.heldSnapshots(dataset),
        current.status().copies());
    int destroyed = 0;
    for (Snapshot snapshot : prunable) {
      try {
        zfs.destroySnapshot(dataset, snapshot.name());
        destroyed++;
      } catch (ZfsException e) {
        // A round may have held it since we listed the holds: it stays, and is looked at next time.
        if (e.reason() != ZfsException.Reason.BUSY) {
          throw e;
        }
        LOG.debug("snapshot {}@{} is busy, kept: {}", dataset, snapshot.name(), e.getMessage());
      }
    }
    if (destroyed > 0) {
      LOG.info("pruned {} snapshot(s) of {} no longer needed as an incremental base", destroyed, dataset);
    }
    return destroyed;
  }
}
