package dev.ferry.devcluster.tasks;

/** Task states as Mesos names them ({@code MesosTaskState} in {@code types/stringTypes.raml}). */
public enum TaskState {
  TASK_STAGING, TASK_STARTING, TASK_RUNNING, TASK_KILLING,
  TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST;

  /** Whether the task is over: it holds no resources and will not change again. */
  public boolean terminal() {
    return switch (this) {
      case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST -> true;
      default -> false;
    };
  }
}
