package dev.ferry.agent.snapshots;

import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.ZfsDriver;
import java.util.Collection;
import java.util.Set;

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
    for (String snapshot : snapshots) {
      zfs.hold(dataset, snapshot, TAG);
    }
    for (String snapshot : zfs.heldSnapshots(dataset)) {
      if (!snapshots.contains(snapshot)) {
        zfs.release(dataset, snapshot, TAG);
      }
    }
  }

  /** Releases the tag on every snapshot of the copy; a snapshot without it is left alone. */
  public void releaseAll(DatasetName dataset) {
    Set<String> held = zfs.heldSnapshots(dataset);
    for (String snapshot : held) {
      zfs.release(dataset, snapshot, TAG);
    }
  }
}
