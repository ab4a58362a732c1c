package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;

/**
 * One snapshot-to-snapshot stream of a migration.
 *
 * @param baseGuid the common snapshot it was sent from, empty for a full stream
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TransferRound(int number, String snapshot, String guid, String baseGuid, long bytes, Duration duration) {

  public TransferRound {
    // An empty baseGuid is left out of the JSON, so a full round reads back without one.
    baseGuid = baseGuid == null ? "" : baseGuid;
  }
}
