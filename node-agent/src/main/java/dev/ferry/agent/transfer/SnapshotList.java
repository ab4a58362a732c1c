package dev.ferry.agent.transfer;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ferry.api.model.Snapshot;
import java.util.List;

/**
 * One node's snapshots of a dataset, oldest first, as {@code GET /v1/datasets/{dataset}/snapshots}
 * answers them, and the {@code receive_resume_token} of its interrupted receive into the dataset
 * ("" when there is none, and always on zfs-fuse; left out of the JSON then, so that an agent of
 * an earlier version still reads the answer).
 */
public record SnapshotList(String dataset, List<Snapshot> snapshots,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) String resumeToken) {

  public SnapshotList {
    snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    resumeToken = resumeToken == null ? "" : resumeToken;
  }
}
