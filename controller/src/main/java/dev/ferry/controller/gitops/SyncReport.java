package dev.ferry.controller.gitops;

import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Conditions;
import dev.ferry.api.model.Durations;
import dev.ferry.api.model.GitSource;
import dev.ferry.api.model.GitSourceStatus;
import dev.ferry.api.model.SyncState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one sync found, and the GitSource status it makes: pure, so the status rules are read in
 * one place. The conditions:
 *
 * <ul>
 *   <li>{@code Synced}: True when the cluster matches the commit ({@code <ref>@sha1:<id>} in the
 *       message); False with reason {@code FetchFailed} (nothing read), {@code ApplyFailed} (some
 *       objects not applied, each named in {@code lastError}), {@code Drifted} (changed outside
 *       git, named in {@code drifted}) or {@code LeftBehind} (owned objects no longer in git, not
 *       pruned)
 *   <li>{@code Ready}: True when every StatefulApp the sync applied is Ready, else False naming them
 *   <li>{@code Drifted}: True naming the objects a dry run found changed outside git
 *   <li>{@code Suspended}: True while {@code spec.suspend} holds syncing
 * </ul>
 *
 * @param revision the commit fetched, as {@code <ref>@sha1:<id>}; empty when the fetch failed
 * @param wrote whether the sync applied (not only compared)
 * @param fetchError why nothing could be read; empty when the objects were read
 * @param problems one line per object or file that could not be read or applied, naming its file
 * @param drifted objects found changed outside git (a dry run)
 * @param leftBehind owned objects no longer in git that were not pruned
 * @param notReady applied StatefulApps that are not Ready
 */
record SyncReport(String revision, boolean wrote, String fetchError, List<String> problems, List<String> drifted,
    List<String> leftBehind, List<String> notReady) {

  static final String SYNCED = "Synced";
  static final String READY = "Ready";
  static final String DRIFTED = "Drifted";
  static final String SUSPENDED = "Suspended";

  static SyncReport fetchFailed(String error) {
    return new SyncReport("", false, error, List.of(), List.of(), List.of(), List.of());
  }

  boolean clean() {
    return fetchError.isEmpty() && problems.isEmpty() && drifted.isEmpty() && leftBehind.isEmpty();
  }

  /**
   * The status to store. {@code revision} moves to the commit only when the sync wrote and every
   * object was applied, so a sync that stopped short is finished by the next one.
   */
  GitSourceStatus status(GitSource source, Instant now) {
    GitSourceStatus before = source.status();
    long generation = source.metadata().generation();
    boolean applied = wrote && fetchError.isEmpty() && problems.isEmpty();
    String kept = applied ? revision : before.revision();
    String error = fetchError.isEmpty() ? String.join("\n", problems) : fetchError;
    List<Condition> computed = new ArrayList<>();
    computed.add(synced(generation));
    if (fetchError.isEmpty()) {
      computed.add(Conditions.of(READY, notReady.isEmpty(), notReady.isEmpty() ? "Ready" : "NotReady",
          notReady.isEmpty() ? "every StatefulApp applied is Ready" : "not Ready yet: " + String.join(", ", notReady),
          generation));
      computed.add(Conditions.of(DRIFTED, !drifted.isEmpty(), drifted.isEmpty() ? "NoDrift" : "ChangedOutsideGit",
          drifted.isEmpty() ? "every object matches git" : "changed outside git: " + String.join(", ", drifted)
              + (source.spec().selfHeal() ? "" : "; selfHeal is off, so they stay until a sync is asked for or git changes"),
          generation));
    }
    computed.add(Conditions.of(SUSPENDED, false, "Active", "syncing every " + Durations.format(source.spec().interval()), generation));
    return new GitSourceStatus(generation, kept, clean() ? SyncState.Synced : SyncState.OutOfSync, error, now,
        drifted, Conditions.replace(before.conditions(), computed, now));
  }

  private Condition synced(long generation) {
    if (!fetchError.isEmpty()) {
      return Conditions.of(SYNCED, false, "FetchFailed", fetchError, generation);
    }
    String at = "at " + revision;
    if (!problems.isEmpty()) {
      return Conditions.of(SYNCED, false, "ApplyFailed", at + ": " + problems.size()
          + (problems.size() == 1 ? " object or file" : " objects or files") + " not applied (see lastError)", generation);
    }
    if (!drifted.isEmpty()) {
      return Conditions.of(SYNCED, false, DRIFTED, at + ": changed outside git: " + String.join(", ", drifted), generation);
    }
    if (!leftBehind.isEmpty()) {
      return Conditions.of(SYNCED, false, "LeftBehind", at + ": no longer in git but not pruned (prune is off): "
          + String.join(", ", leftBehind), generation);
    }
    return Conditions.of(SYNCED, true, SYNCED, at, generation);
  }

  /** The status of a suspended source: the last sync's, with {@code Suspended} True. */
  static GitSourceStatus suspended(GitSource source, Instant now) {
    GitSourceStatus before = source.status();
    long generation = source.metadata().generation();
    Condition suspended = Conditions.of(SUSPENDED, true, "Suspended",
        "spec.suspend is true: no sync runs until it is false", generation);
    return new GitSourceStatus(generation, before.revision(), before.sync(), before.lastError(), before.lastSyncTime(),
        before.drifted(), Conditions.replace(before.conditions(), List.of(suspended), now));
  }
}
