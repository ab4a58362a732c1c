package dev.ferry.agent.zfs;

import dev.ferry.api.model.Snapshot;
import java.util.List;

/**
 * One copy as a single {@code zfs get} shows it ({@link ZfsDriver#stateAndSnapshots}).
 *
 * @param state the filesystem's state
 * @param snapshots its snapshots, oldest first
 */
public record CopyState(DatasetState state, List<Snapshot> snapshots) {

  public CopyState {
    snapshots = List.copyOf(snapshots);
  }
}
