package dev.ferry.controller.migration;

import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationStatus;
import java.time.Duration;

/**
 * The one next thing the migration reconciler does. Side effects (etcd writes other than the
 * Migration's status, Marathon calls) each have their own step; the reconciler runs again after
 * each one and the planner sees its result, so every step is safe to repeat after a crash.
 */
public sealed interface MigrationStep {

  /** Write the Migration's status (a phase change, a recorded round, a timestamp). */
  record UpdateStatus(MigrationStatus status) implements MigrationStep {}

  /**
   * Stay in Pending, queued behind other migrations of the same node ({@link NodeSlots}): write
   * {@code status}, which says so, and an event.
   */
  record Queue(MigrationStatus status, String reason) implements MigrationStep {}

  /** Set {@code Dataset.spec.migration} to this migration: no one else moves the data now. */
  record LockDataset() implements MigrationStep {}

  /**
   * Ask the source agent for a round: the reconciler signs a ticket for it and writes
   * {@code status.transfer}.
   *
   * @param baseGuid the snapshot the target already holds, empty for a full stream
   */
  record RequestTransfer(int round, int attempt, String snapshot, boolean fence, String baseGuid)
      implements MigrationStep {}

  /** Write the Marathon app with no instances, still pinned to the source (forcing any deployment). */
  record StopApp() implements MigrationStep {}

  /** Move {@code Dataset.spec.primary} to the target in one compare-and-swap. */
  record SwitchPrimary() implements MigrationStep {}

  /**
   * After Switch, before the app was asked to start on the target: move {@code Dataset.spec.primary}
   * back to the source (compare-and-swap), whose read-only copy is identical to the last round.
   */
  record SwitchBack(String reason) implements MigrationStep {}

  /** Write the Marathon app pinned to the target with the spec's instances. */
  record StartApp() implements MigrationStep {}

  /**
   * End the migration: clear the dataset's lock (when it is this migration's), then write the
   * final status.
   */
  record Finish(MigrationPhase phase, MigrationStatus status) implements MigrationStep {}

  /** Nothing to do but look again: an agent or Marathon is working. */
  record Wait(String reason, Duration recheck) implements MigrationStep {}

  /** The migration has ended; nothing more will happen. */
  record Done() implements MigrationStep {}
}
