package dev.ferry.devcluster.scheduler;

import dev.ferry.devcluster.apps.AppDefinition;
import dev.ferry.devcluster.apps.AppId;
import dev.ferry.devcluster.events.EventBus;
import dev.ferry.devcluster.tasks.Task;
import dev.ferry.devcluster.tasks.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Moves each app's tasks one step towards its definition, level-triggered: replaces tasks of an
 * older config while keeping {@code minimumHealthCapacity} healthy and at most
 * {@code maximumOverCapacity} extra (0/0 stops the old task before starting the new), scales,
 * relaunches dead tasks after the app's backoff, and finishes deployments whose app has arrived.
 */
final class Reconciler {

  private final ClusterState state;
  private final TaskLifecycle lifecycle;
  private final EventBus events;
  private final PortsInUse portsInUse;

  Reconciler(ClusterState state, TaskLifecycle lifecycle, EventBus events, PortsInUse portsInUse) {
    this.state = state;
    this.lifecycle = lifecycle;
    this.events = events;
    this.portsInUse = portsInUse;
  }

  /** A pass over some apps only: those an API call or a task's change concerned. */
  void reconcileApps(Set<AppId> ids) {
    ids.forEach(this::reconcile);
  }

  void reconcileAll() {
    Set<AppId> ids = new HashSet<>(state.apps.keySet());
    state.tasks.values().forEach(t -> ids.add(t.appId()));
    state.deployments.values().forEach(d -> ids.add(d.app()));
    ids.forEach(this::reconcile);
  }

  private void reconcile(AppId id) {
    AppDefinition app = state.apps.get(id);
    List<Task> active = state.tasksOf(id).stream().filter(Task::active).toList();
    if (app == null) {
      active.forEach(lifecycle::kill);
      if (active.isEmpty()) {
        finishDeployments(id);
      }
      return;
    }
    Instant configChange = Instant.parse(app.lastConfigChangeAt());
    List<Task> old = new ArrayList<>(active.stream().filter(t -> Instant.parse(t.version()).isBefore(configChange)).toList());
    List<Task> current = new ArrayList<>(active.stream().filter(t -> !old.contains(t)).toList());
    int n = app.instances();
    killExtras(app, current, n);
    replaceOld(app, old, active, n);
    launchMissing(app, current, n);
    boolean arrived = old.isEmpty()
        && current.stream().filter(t -> t.state() != TaskState.TASK_KILLING).count() == n
        && current.stream().allMatch(t -> t.state() == TaskState.TASK_RUNNING && lifecycle.health().healthy(t.id()));
    if (arrived) {
      finishDeployments(id);
    }
  }

  private void killExtras(AppDefinition app, List<Task> current, int n) {
    List<Task> alive = current.stream().filter(t -> t.state() != TaskState.TASK_KILLING)
        .sorted(Comparator.comparing(Task::stagedAt)).toList();
    int extra = alive.size() - n;
    for (int i = 0; i < extra; i++) {
      Task victim = app.killOldestFirst() ? alive.get(i) : alive.get(alive.size() - 1 - i);
      lifecycle.kill(victim);
    }
  }

  private void replaceOld(AppDefinition app, List<Task> old, List<Task> active, int n) {
    long healthy = active.stream().filter(this::healthy).count();
    int minimum = app.upgradeStrategy().minimumHealthy(n);
    // Unhealthy old tasks go first: killing them costs no capacity.
    old.sort(Comparator.comparing(this::healthy));
    for (Task task : old) {
      if (task.state() == TaskState.TASK_KILLING) {
        continue;
      }
      if (!healthy(task)) {
        lifecycle.kill(task);
      } else if (healthy - 1 >= minimum) {
        lifecycle.kill(task);
        healthy--;
      }
    }
  }

  private void launchMissing(AppDefinition app, List<Task> current, int n) {
    ClusterState.Backoff backoff = state.backoff.get(app.id());
    if (backoff != null && Instant.now().isBefore(backoff.notBefore())) {
      return;
    }
    int maximum = app.upgradeStrategy().maximumTotal(n);
    long live = current.stream().filter(t -> t.state() != TaskState.TASK_KILLING).count();
    long total = state.tasksOf(app.id()).stream().filter(Task::active).count();
    while (live < n && total < maximum) {
      var choice = Placement.choose(app, state.nodes, state.active(), portsInUse.snapshot());
      if (choice.isEmpty()) {
        return;
      }
      lifecycle.launch(app, choice.get());
      live++;
      total++;
    }
  }

  private boolean healthy(Task task) {
    return task.state() == TaskState.TASK_RUNNING && lifecycle.health().healthy(task.id());
  }

  private void finishDeployments(AppId id) {
    for (Deployment d : state.deploymentsOf(id)) {
      state.deployments.remove(d.id());
      events.publish(Events.deploymentStepSuccess(d));
      events.publish(Events.deploymentSuccess(d));
      if (d.action().equals("StopApplication")) {
        events.publish(Events.appTerminated(id.path()));
      }
    }
  }
}
