package dev.ferry.controller.marathon;

import java.util.regex.Pattern;

/**
 * Where {@code ferry-task-guard} is on the Mesos agents' hosts: every task of an app with a
 * dataset is launched through it (see {@code scripts/ferry-task-guard} and {@link MarathonApps}).
 * It is written into a Marathon {@code cmd} ({@code exec <path>}), so it is checked to be an
 * absolute path of plain characters that no shell reads differently.
 *
 * @param hostPath the script's absolute path on every agent
 */
public record TaskGuard(String hostPath) {

  // Before the constants below, which the constructor checks with it.
  private static final Pattern PLAIN_PATH = Pattern.compile("/[A-Za-z0-9._/+-]*");

  /** Where the Vagrant cluster's provisioning installs it; the controller's default. */
  public static final TaskGuard INSTALLED = new TaskGuard("/usr/lib/ferry/ferry-task-guard");
  /** Where a DOCKER task finds it: the host's script mounted read-only into the container. */
  public static final String IN_CONTAINER = "/usr/lib/ferry/ferry-task-guard";

  /** @throws IllegalArgumentException if the path is not absolute or holds a character a shell would read */
  public TaskGuard {
    if (hostPath == null || !PLAIN_PATH.matcher(hostPath).matches() || hostPath.endsWith("/")) {
      throw new IllegalArgumentException("taskGuard '" + hostPath + "' must be the absolute path of ferry-task-guard,"
          + " made of letters, digits and . _ / + - only, such as " + IN_CONTAINER);
    }
  }
}
