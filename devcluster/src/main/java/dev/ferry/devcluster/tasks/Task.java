package dev.ferry.devcluster.tasks;

import dev.ferry.devcluster.apps.AppId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One task as the scheduler knows it. Immutable; a state change makes a new value.
 *
 * @param node the node's name (its Mesos hostname)
 * @param host the node's address, where the task listens ({@code HOST})
 * @param pid the process (group leader) running it; empty before launch and when simulated
 * @param cpus the cpus it holds on its node
 * @param mem the mem (MiB) it holds on its node
 */
public record Task(String id, AppId appId, String version, String node, String host, String slaveId,
    List<Integer> ports, Instant stagedAt, Optional<Instant> startedAt, TaskState state, String message,
    OptionalLong pid, double cpus, double mem) {

  public Task {
    Objects.requireNonNull(id, "id");
    ports = List.copyOf(ports);
  }

  /** A task just placed on a node, not yet launched. */
  public static Task staged(String id, AppId appId, String version, String node, String host, String slaveId,
      List<Integer> ports, Instant now, double cpus, double mem) {
    return new Task(id, appId, version, node, host, slaveId, ports, now, Optional.empty(),
        TaskState.TASK_STAGING, "", OptionalLong.empty(), cpus, mem);
  }

  public Task withState(TaskState next, String why) {
    Optional<Instant> started = next == TaskState.TASK_RUNNING && startedAt.isEmpty()
        ? Optional.of(Instant.now()) : startedAt;
    return new Task(id, appId, version, node, host, slaveId, ports, stagedAt, started, next, why, pid, cpus, mem);
  }

  public Task withPid(long processId) {
    return new Task(id, appId, version, node, host, slaveId, ports, stagedAt, startedAt, state, message,
        OptionalLong.of(processId), cpus, mem);
  }

  /** The Marathon instance the task belongs to: its id without the {@code ._app.N} suffix. */
  public String instanceId() {
    return id.replaceFirst("\\._app\\.\\d+$", "");
  }

  public boolean active() {
    return !state.terminal();
  }
}
