package dev.ferry.devcluster.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Signals a task's processes. Tasks start as their own process group (via {@code setsid}), so
 * the group catches children that daemonised away from the tree; the tree catches children that
 * made their own group. Blocking: call off the event loop.
 */
final class ProcessTree {

  private ProcessTree() {}

  /** The leader and every descendant still alive. */
  static List<ProcessHandle> members(long pid) {
    List<ProcessHandle> all = new ArrayList<>();
    ProcessHandle.of(pid).ifPresent(root -> {
      all.add(root);
      root.descendants().forEach(all::add);
    });
    return all;
  }

  /** Sends {@code signal} (TERM or KILL) to the group {@code pid} and to {@code members}. */
  static void signal(long pid, String signal, List<ProcessHandle> members) {
    try {
      new ProcessBuilder("kill", "-s", signal, "--", "-" + pid)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start().waitFor();
    } catch (IOException e) {
      // The group is gone or kill is missing: the per-process signals below still apply.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle member : members) {
      if (signal.equals("KILL")) {
        member.destroyForcibly();
      } else {
        member.destroy();
      }
    }
  }

  /** Whether process {@code pid} carries {@code MESOS_TASK_ID=taskId} in its environment. */
  static boolean isTask(long pid, String taskId) {
    try {
      byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
      for (String entry : new String(environ, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
        if (entry.equals("MESOS_TASK_ID=" + taskId)) {
          return true;
        }
      }
      return false;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  static Optional<ProcessHandle> alive(long pid) {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
  }
}
