package dev.ferry.controller.statefulapp;

/**
 * One Marathon task of an app, as the reconciler needs it.
 *
 * @param host the agent the task runs on, as Marathon reports it
 * @param state Mesos's state name (TASK_RUNNING, TASK_STAGING, ...)
 * @param healthy whether every health check passes (true when the app has none and it runs)
 */
public record TaskView(String id, String host, String state, boolean healthy) {

  public boolean running() {
    return "TASK_RUNNING".equals(state);
  }
}
