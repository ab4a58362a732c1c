package dev.ferry.devcluster.launcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One process of the cluster, as the launcher starts it.
 *
 * @param name what logs, pid files and {@code status} call it
 * @param command program and arguments (never a shell)
 * @param env added to the launcher's environment
 * @param configFile a file to write before starting, and its text
 * @param address where it listens, for {@code status}
 * @param url what a user opens or curls; empty if nothing
 * @param readiness when it counts as up
 * @param startTimeout how long it may take to become ready
 * @param stopGrace how long it gets between SIGTERM and SIGKILL
 */
record ProcessSpec(String name, List<String> command, Map<String, String> env, Optional<ConfigFile> configFile,
    String address, String url, Readiness readiness, Duration startTimeout, Duration stopGrace) {

  record ConfigFile(java.nio.file.Path path, String text) {}

  ProcessSpec {
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }
}
