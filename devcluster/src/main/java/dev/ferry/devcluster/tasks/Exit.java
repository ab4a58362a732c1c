package dev.ferry.devcluster.tasks;

/** How a task ended: the Mesos state it ends in and a message for {@code status_update_event}. */
public record Exit(TaskState state, String message) {

  /** The end of a process that exited with {@code code}, or was killed when {@code killed}. */
  public static Exit ofCode(int code, boolean killed) {
    if (killed) {
      return new Exit(TaskState.TASK_KILLED, "Command terminated by the scheduler");
    }
    return code == 0
        ? new Exit(TaskState.TASK_FINISHED, "Command exited with status 0")
        : new Exit(TaskState.TASK_FAILED, "Command exited with status " + code);
  }

  public static Exit failed(String message) {
    return new Exit(TaskState.TASK_FAILED, message);
  }
}
