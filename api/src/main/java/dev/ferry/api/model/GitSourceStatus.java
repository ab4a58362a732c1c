package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The last sync.
 *
 * @param revision the applied commit as {@code <ref>@sha1:<id>}
 * @param sync Synced or OutOfSync
 * @param lastError why the last sync failed, or which objects it could not apply (one per line,
 *     each naming its file); empty after a clean sync
 * @param drifted the objects ({@code Kind/name}) that the last sync found changed outside git
 * @param conditions {@code Synced} (with the commit), {@code Ready} (whether what it applied is
 *     Ready), {@code Drifted}, {@code Suspended}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GitSourceStatus(
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long observedGeneration,
    String revision,
    SyncState sync,
    String lastError,
    Instant lastSyncTime,
    List<String> drifted,
    List<Condition> conditions) {

  public static final GitSourceStatus EMPTY = new GitSourceStatus(0, "", null, "", null, List.of(), List.of());

  public GitSourceStatus {
    revision = revision == null ? "" : revision;
    lastError = lastError == null ? "" : lastError;
    drifted = drifted == null ? List.of() : List.copyOf(drifted);
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }

  public GitSourceStatus withObservedGeneration(long generation) {
    return new GitSourceStatus(generation, revision, sync, lastError, lastSyncTime, drifted, conditions);
  }
}
