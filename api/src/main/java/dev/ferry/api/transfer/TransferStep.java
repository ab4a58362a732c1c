package dev.ferry.api.transfer;

import dev.ferry.api.model.Snapshot;

/**
 * The next thing to do to bring a target copy up to the source's newest snapshot, as {@link
 * TransferPlanner} decides it. Build them with the static factories.
 */
public sealed interface TransferStep {

  /** The target has no copy: send the whole {@code snapshot}. */
  record FullSend(Snapshot snapshot) implements TransferStep {}

  /** Send the changes from {@code base} (which both sides hold) to {@code snapshot}. */
  record IncrementalSend(Snapshot base, Snapshot snapshot) implements TransferStep {}

  /**
   * The target has snapshots or changes after the newest common snapshot {@code to}: roll it back
   * there ({@code zfs rollback -r}) before anything can be received.
   */
  record RollbackTarget(Snapshot to) implements TransferStep {}

  /** The target already holds the source's newest snapshot, {@code snapshot}, as its newest. */
  record UpToDate(Snapshot snapshot) implements TransferStep {}

  /** No stream can bring the target up to date without destroying it; {@code reason} says why. */
  record Diverged(String reason) implements TransferStep {}

  static TransferStep fullSend(Snapshot snapshot) {
    return new FullSend(snapshot);
  }

  static TransferStep incremental(Snapshot base, Snapshot snapshot) {
    return new IncrementalSend(base, snapshot);
  }

  static TransferStep rollbackTarget(Snapshot to) {
    return new RollbackTarget(to);
  }

  static TransferStep upToDate(Snapshot snapshot) {
    return new UpToDate(snapshot);
  }

  static TransferStep diverged(String reason) {
    return new Diverged(reason);
  }
}
