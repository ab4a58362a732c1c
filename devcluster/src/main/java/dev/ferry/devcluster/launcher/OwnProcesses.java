package dev.ferry.devcluster.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Processes a cluster recorded by pid. A pid counts as the cluster's only while that process's
 * command line names the cluster's state directory (every process {@code up} starts does), so a
 * pid reused by an unrelated process after a crash is never signalled.
 */
final class OwnProcesses {

  private OwnProcesses() {}

  static Optional<ProcessHandle> find(long pid, StateDir dir) {
    if (pid <= 0) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> commandLine(pid).contains(dir.root().toString()));
  }

  static boolean alive(long pid, StateDir dir) {
    return find(pid, dir).isPresent();
  }

  /** Reads a pid file; 0 when it is missing or not a number. */
  static long readPid(Path file) {
    try {
      return Long.parseLong(Files.readString(file).strip());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  static void writePid(Path file, long pid) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, pid + "\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file, e);
    }
  }

  /** SIGTERM to the process and its descendants, SIGKILL to what still runs after {@code grace}. */
  static void stop(ProcessHandle process, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(0, process);
    tree.forEach(ProcessHandle::destroy);
    Instant deadline = Instant.now().plus(grace);
    while (Instant.now().isBefore(deadline) && tree.stream().anyMatch(ProcessHandle::isAlive)) {
      sleep(100);
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    Instant killDeadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(killDeadline) && tree.stream().anyMatch(ProcessHandle::isAlive)) {
      sleep(50);
    }
  }

  private static String commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
