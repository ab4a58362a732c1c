package dev.ferry.agent.zfs;

import java.util.List;

/**
 * One copy as a listing of the whole dataset root shows it ({@link ZfsDriver#listCopies}): enough
 * to tell whether it changed since the last look without asking ZFS about it alone.
 *
 * @param guid the filesystem's guid (a copy destroyed and created again has a new one)
 * @param state its space and mount state, the mountpoint left out (empty)
 * @param snapshotGuids its snapshots' guids, oldest first
 */
public record CopyListing(String guid, DatasetState state, List<String> snapshotGuids) {

  public CopyListing {
    snapshotGuids = List.copyOf(snapshotGuids);
  }

  /** The same copy apart from its space figures, which {@code UsageThreshold} judges. */
  public boolean sameApartFromSpace(CopyListing other) {
    return guid.equals(other.guid) && state.mounted() == other.state.mounted()
        && state.readonly() == other.state.readonly() && snapshotGuids.equals(other.snapshotGuids);
  }
}
