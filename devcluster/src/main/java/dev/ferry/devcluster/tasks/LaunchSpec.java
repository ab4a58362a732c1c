package dev.ferry.devcluster.tasks;

import dev.ferry.devcluster.apps.HostVolume;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to start one task's process.
 *
 * @param command the argv, e.g. {@code [/bin/sh, -c, cmd]}
 * @param env variables added to the scheduler's own environment
 * @param dockerImage set for DOCKER apps, which this machine cannot run
 */
public record LaunchSpec(String taskId, List<String> command, Map<String, String> env, Path sandbox,
    List<HostVolume> volumes, Optional<String> user, Optional<String> dockerImage) {

  public LaunchSpec {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    volumes = List.copyOf(volumes);
  }
}
