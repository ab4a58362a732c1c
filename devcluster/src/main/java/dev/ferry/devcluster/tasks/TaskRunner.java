package dev.ferry.devcluster.tasks;

import io.vertx.core.Future;
import java.util.OptionalLong;

/** Starts tasks: {@link ProcessRunner} as real processes, {@link SimulatedRunner} without any. */
public interface TaskRunner {

  /** Starts the task; fails with a message fit for {@code TASK_FAILED} when it cannot. */
  Future<RunningTask> start(LaunchSpec spec);

  /**
   * The task {@code taskId} whose process {@code pid} a previous scheduler started, if that
   * process still lives and is that task (not a reused pid). Blocking: call off the event loop.
   */
  java.util.Optional<RunningTask> adopt(String taskId, OptionalLong pid);

  /** Whether tasks are simulated (no process), to be named as such wherever it shows. */
  boolean simulated();
}
