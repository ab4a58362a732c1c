package dev.ferry.devcluster.tasks;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.OptionalLong;

/** A launched task: its process (if any), its end, and the way to stop it. */
public interface RunningTask {

  /** The process group leader; empty for a simulated task. */
  OptionalLong pid();

  /** Completes when the task has ended, with how it ended. Never fails. */
  Future<Exit> exit();

  /**
   * Sends SIGTERM to the task's whole process group and tree, then SIGKILL after {@code grace}
   * if anything is left. Returns at once; {@link #exit()} tells when it is over.
   */
  void kill(Duration grace);
}
