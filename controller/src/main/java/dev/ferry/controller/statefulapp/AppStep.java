package dev.ferry.controller.statefulapp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * The one next thing the StatefulApp reconciler does. The planner returns exactly one; the
 * reconciler does it, writes status, and runs again until the answer is {@link InSync} or a wait.
 */
public sealed interface AppStep {

  /** Put Ferry's finalizer on the app so that its deletion waits for the cleanup. */
  record AddFinalizer() implements AppStep {}

  /** Create the Dataset object with {@code node} as its primary; that node's agent creates it. */
  record CreateDataset(String node) implements AppStep {}

  /**
   * Clear {@code Dataset.spec.migration}: the Migration holding it was deleted. Before its Switch
   * the source becomes writable again and the app runs there; after it, on the target.
   */
  record ReleaseDataset(String migration) implements AppStep {}

  /** The primary node no longer fits the placement: move the data and the app. */
  record StartMigration(String from, String to, String reason) implements AppStep {}

  /**
   * Write the Marathon app.
   *
   * @param drift the app was changed behind Ferry's back (same generation, other content)
   * @param difference the first field that differed, for the event
   * @param force break the lock of a deployment under way: the user changed the spec since
   *     that deployment started, so it is deploying something no longer wanted
   */
  record PutApp(ObjectNode app, boolean drift, String difference, boolean force) implements AppStep {}

  /** Deleting: remove the Marathon app first. */
  record DeleteApp() implements AppStep {}

  /** Deleting with {@code reclaimPolicy: Delete}: remove the Dataset; agents destroy the copies. */
  record DeleteDataset() implements AppStep {}

  /** Deleting: everything is cleaned up; let the object go. */
  record RemoveFinalizer() implements AppStep {}

  /** No node fits: say why, and leave a running app where it is. */
  record Unschedulable(String reason) implements AppStep {}

  /** Nothing to do until something else changes (an agent reports, a migration ends). */
  record Wait(String reason) implements AppStep {}

  /**
   * The data should move but a move failed recently: keep the app where its data is and look
   * again after {@code retryIn}.
   */
  record MoveLater(String reason, Duration retryIn) implements AppStep {}

  /** Marathon and the dataset are as the spec says. */
  record InSync() implements AppStep {}
}
