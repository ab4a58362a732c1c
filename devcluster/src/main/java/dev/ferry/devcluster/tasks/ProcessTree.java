package dev.ferry.devcluster.tasks;

import dev.ferry.api.process.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
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

  /**
   * The live processes of process group {@code pgid}, its leader gone or not: a task's children
   * stay in its group after the shell that started them exits, reparented away from its tree.
   * Zombies count as gone.
   */
  static List<ProcessHandle> group(long pgid) {
    List<ProcessHandle> found = new ArrayList<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
      for (Path dir : proc) {
        groupOf(dir).filter(g -> g.pgid() == pgid && !g.zombie())
            .flatMap(g -> ProcessHandle.of(Long.parseLong(dir.getFileName().toString())))
            .ifPresent(found::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list /proc", e);
    }
    return found;
  }

  private record GroupEntry(long pgid, boolean zombie) {}

  /** Fields 3 (state) and 5 (pgrp) of {@code /proc/<pid>/stat}, read after the command name's last ')'. */
  private static Optional<GroupEntry> groupOf(Path dir) {
    try {
      String stat = Files.readString(dir.resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(new GroupEntry(Long.parseLong(fields[2]), fields[0].equals("Z") || fields[0].equals("X")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // gone while we looked
    }
  }

  private static boolean isPid(String name) {
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }

  /** Sends {@code signal} (TERM or KILL) to the group {@code pid} and to {@code members}. */
  static void signal(long pid, String signal, List<ProcessHandle> members) {
    // Its result is ignored: if the group is gone or kill is missing, the per-process signals below still apply.
    Command.run("kill", "-s", signal, "--", "-" + pid);
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
