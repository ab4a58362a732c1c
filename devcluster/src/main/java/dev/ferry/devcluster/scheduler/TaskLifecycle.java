package dev.ferry.devcluster.scheduler;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.devcluster.apps.AppDefinition;
import dev.ferry.devcluster.apps.AppId;
import dev.ferry.devcluster.events.EventBus;
import dev.ferry.devcluster.health.HealthMonitor;
import dev.ferry.devcluster.nodes.NodeSpec;
import dev.ferry.devcluster.tasks.Exit;
import dev.ferry.devcluster.tasks.LaunchSpec;
import dev.ferry.devcluster.tasks.RunningTask;
import dev.ferry.devcluster.tasks.SimulatedRunner;
import dev.ferry.devcluster.tasks.Task;
import dev.ferry.devcluster.tasks.TaskEnvironment;
import dev.ferry.devcluster.tasks.TaskIds;
import dev.ferry.devcluster.tasks.TaskRunner;
import dev.ferry.devcluster.tasks.TaskState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Launches, watches and kills tasks, keeping {@link ClusterState} and the event stream in step
 * with what the processes do. Runs on the scheduler's context.
 */
final class TaskLifecycle implements HealthMonitor.Listener {

  private final ClusterState state;
  private final TaskRunner runner;
  private final EventBus events;
  private final Path nodesDir;
  private final Consumer<AppId> changed;
  private final Map<String, RunningTask> running = new HashMap<>();
  /**
   * Each task's kill grace period, its app's when it was launched or adopted (as Mesos keeps a
   * task's kill policy): a task of a deleted or changed app is killed as its app said.
   */
  private final Map<String, Duration> grace = new HashMap<>();
  private final Map<String, Duration> killRequested = new HashMap<>();
  private final Map<String, Promise<Exit>> ends = new HashMap<>();
  private HealthMonitor health;

  TaskLifecycle(ClusterState state, TaskRunner runner, EventBus events, Path nodesDir, Consumer<AppId> changed) {
    this.state = state;
    this.runner = runner;
    this.events = events;
    this.nodesDir = nodesDir;
    this.changed = changed;
  }

  void useHealthMonitor(HealthMonitor monitor) {
    this.health = monitor;
  }

  HealthMonitor health() {
    return health;
  }

  /** Places a new task of {@code app} on {@code choice} and starts it. */
  void launch(AppDefinition app, Placement.Choice choice) {
    NodeSpec node = choice.node();
    Task task = Task.staged(TaskIds.newId(app.id()), app.id(), app.version(), node.name(), node.address(),
        state.slaveId(node), choice.ports(), Instant.now(), app.cpus(), app.mem());
    update(task);
    ends.put(task.id(), Promise.promise());
    grace.put(task.id(), app.killGracePeriod());
    Path sandbox = sandbox(task);
    Map<String, String> env = TaskEnvironment.of(app, task, sandbox);
    LaunchSpec spec = new LaunchSpec(task.id(), command(app), env, sandbox, app.hostVolumes(), app.user(),
        app.isDocker() ? Optional.of(app.json().path("container").path("docker").path("image").asText("?")) : Optional.empty());
    runner.start(spec).onComplete(result -> {
      if (result.failed()) {
        ended(task.id(), Exit.failed(String.valueOf(result.cause().getMessage())));
        return;
      }
      started(task.id(), result.result(), app, sandbox, env);
    });
  }

  /** Takes over a task a previous scheduler started whose process still runs. */
  void adopt(Task task, RunningTask process, AppDefinition app) {
    state.putTask(task);
    ends.put(task.id(), Promise.promise());
    grace.put(task.id(), app.killGracePeriod());
    Path sandbox = sandbox(task);
    started(task.id(), process, app, sandbox, TaskEnvironment.of(app, task, sandbox));
  }

  private void started(String taskId, RunningTask process, AppDefinition app, Path sandbox, Map<String, String> env) {
    running.put(taskId, process);
    process.exit().onSuccess(exit -> ended(taskId, exit));
    Task task = state.tasks.get(taskId);
    if (task.state() == TaskState.TASK_STAGING) {
      Task withPid = process.pid().isPresent() ? task.withPid(process.pid().getAsLong()) : task;
      update(withPid.withState(TaskState.TASK_STARTING, ""));
      update(state.tasks.get(taskId).withState(TaskState.TASK_RUNNING, runner.simulated() ? SimulatedRunner.MESSAGE : ""));
    }
    if (runner.simulated()) {
      health.assumeHealthy(state.tasks.get(taskId), app.healthChecks().size());
    } else {
      health.watch(state.tasks.get(taskId), app.healthChecks(), sandbox, env);
    }
    Optional.ofNullable(killRequested.remove(taskId)).ifPresent(process::kill);
  }

  /** Asks the task to stop: SIGTERM now, SIGKILL after its kill grace period. Idempotent. */
  void kill(Task task) {
    if (!task.active() || task.state() == TaskState.TASK_KILLING) {
      return;
    }
    update(task.withState(TaskState.TASK_KILLING, "Killing task"));
    Duration period = grace.getOrDefault(task.id(), AppDefinition.DEFAULT_KILL_GRACE);
    RunningTask process = running.get(task.id());
    if (process == null) {
      killRequested.put(task.id(), period);
    } else {
      process.kill(period);
    }
  }

  /** The end of every task launched and not yet over (being launched included), for a shutdown that waits. */
  List<Future<Exit>> exits() {
    return ends.values().stream().map(Promise::future).toList();
  }

  private void ended(String taskId, Exit exit) {
    running.remove(taskId);
    grace.remove(taskId);
    Optional.ofNullable(ends.remove(taskId)).ifPresent(p -> p.tryComplete(exit));
    health.forget(taskId);
    Task task = state.tasks.get(taskId);
    if (task == null) {
      return;
    }
    boolean wanted = task.state() == TaskState.TASK_KILLING || killRequested.remove(taskId) != null;
    TaskState end = wanted ? TaskState.TASK_KILLED : exit.state();
    Task last = task.withState(end, exit.message());
    update(last);
    state.removeTask(taskId);
    if (!wanted) {
      recordFailure(last);
    }
    changed.accept(task.appId());
  }

  private void recordFailure(Task task) {
    AppDefinition app = state.apps.get(task.appId());
    ClusterState.Backoff previous = state.backoff.getOrDefault(task.appId(), new ClusterState.Backoff(0, Instant.EPOCH));
    int failures = previous.failures() + 1;
    Duration delay = app == null ? Duration.ZERO : app.backoff().after(failures);
    state.backoff.put(task.appId(), new ClusterState.Backoff(failures, Instant.now().plus(delay)));
    state.lastFailure.put(task.appId(), JsonNodeFactory.instance.objectNode()
        .put("appId", task.appId().path()).put("host", task.host()).put("message", task.message())
        .put("state", task.state().name()).put("taskId", task.id()).put("timestamp", Instant.now().toString())
        .put("version", task.version()).put("slaveId", task.slaveId()));
  }

  @Override
  public void healthChanged(String taskId, boolean alive) {
    Optional.ofNullable(state.tasks.get(taskId)).ifPresent(t -> {
      events.publish(Events.healthChanged(t, alive));
      changed.accept(t.appId());
    });
  }

  @Override
  public void unhealthy(String taskId, String cause) {
    Optional.ofNullable(state.tasks.get(taskId)).filter(t -> t.state() != TaskState.TASK_KILLING).ifPresent(t -> {
      events.publish(Events.unhealthyKill(t, cause));
      kill(t);
    });
  }

  private void update(Task task) {
    state.putTask(task);
    events.publish(Events.statusUpdate(task));
  }

  Path sandbox(Task task) {
    return nodesDir.resolve(task.node()).resolve("sandboxes").resolve(task.id());
  }

  private static List<String> command(AppDefinition app) {
    return app.cmd().map(cmd -> List.of("/bin/sh", "-c", cmd)).orElseGet(app::args);
  }
}
