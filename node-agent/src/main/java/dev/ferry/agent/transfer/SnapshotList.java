package dev.ferry.agent.transfer;

import dev.ferry.api.model.Snapshot;
import java.util.List;

/**
 * One node's snapshots of a dataset, oldest first, as {@code GET /v1/datasets/{dataset}/snapshots}
 * answers them.
 */
public record SnapshotList(String dataset, List<Snapshot> snapshots) {

  public SnapshotList {
    snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
  }
}
