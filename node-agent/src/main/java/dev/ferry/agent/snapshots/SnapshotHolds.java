package dev.ferry.agent.snapshots;

import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.ZfsDriver;
import java.util.Collection;
import java.util.List;

/**
 * The agent's user holds on a copy's snapshots, all under the one tag {@link #TAG}: while a
 * migration owns a dataset, the source holds the snapshot the current round is sent from and the
 * one it sends, and the target holds the snapshot it received last, so that neither pruning nor
 * a person can destroy the base of the next round. When the migration ends, every agent releases
 * the tag on its copy. Other holds (a person's, under another tag) are never touched. Blocking.
 */
public final class SnapshotHolds {

  /** The hold tag; one per agent is enough, as only one migration owns a dataset at a time. */
  public static final String TAG = "ferry-base";

  private final ZfsDriver zfs;

  public SnapshotHolds(ZfsDriver zfs) {
    this.zfs = zfs;
  }

  /** Holds exactly {@code snapshots} under the tag: holds them, then releases the tag elsewhere. */
  public void holdOnly(DatasetName dataset, Collection<String> snapshots) {
    // Three commands whatever the count: each zfs command is a process and a trip to the daemon.
    zfs.hold(dataset, List.copyOf(snapshots), TAG);
    zfs.release(dataset, zfs.heldSnapshots(dataset).stream().filter(s -> !snapshots.contains(s)).toList(), TAG);
  }

  /** Releases the tag on every snapshot of the copy; a snapshot without it is left alone. */
  public void releaseAll(DatasetName dataset) {
    zfs.release(dataset, List.copyOf(zfs.heldSnapshots(dataset)), TAG);
  }
}
