package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * One node's copy of a dataset.
 *
 * @param snapshots oldest first, identified by guid (names can repeat across nodes, guids match
 *     only for the same snapshot)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetCopy(
    List<Snapshot> snapshots, long usedBytes, long availableBytes, boolean mounted, boolean readonly, Instant reportedAt) {

  public DatasetCopy {
    snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
  }
}
