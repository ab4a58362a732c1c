package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The last sync.
 *
 * @param revision the applied commit as {@code branch@sha1:<id>}
 * @param sync Synced or OutOfSync
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GitSourceStatus(
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long observedGeneration,
    String revision,
    SyncState sync,
    String lastError,
    Instant lastSyncTime,
    List<Condition> conditions) {

  public static final GitSourceStatus EMPTY = new GitSourceStatus(0, "", null, "", null, List.of());

  public GitSourceStatus {
    revision = revision == null ? "" : revision;
    lastError = lastError == null ? "" : lastError;
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }
}
