package dev.ferry.devcluster.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.devcluster.apps.AppDefinition;
import dev.ferry.devcluster.apps.AppId;
import dev.ferry.devcluster.events.EventBus;
import dev.ferry.devcluster.health.HealthMonitor;
import dev.ferry.devcluster.health.HealthProbe;
import dev.ferry.devcluster.health.HealthResult;
import dev.ferry.devcluster.nodes.NodeSpec;
import dev.ferry.devcluster.tasks.Task;
import dev.ferry.devcluster.tasks.TaskRunner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Marathon-like scheduler: apps, their tasks and deployments over the configured nodes.
 * Every method must be called on the scheduler's Vert.x context (the HTTP server's); changes
 * return the deployment they start and are carried out asynchronously, as in Marathon.
 */
public final class Scheduler {

  /** How often every app is reconciled even when nothing happened (backoff expiry, free resources). */
  static final long TICK_MILLIS = 250;
  private static final long COALESCE_MILLIS = 2;
  private boolean reconcilePending;
  private boolean allChanged;
  private final Set<AppId> changedApps = new HashSet<>();

  private final Vertx vertx;
  private final ClusterState state;
  private final EventBus events;
  private final TaskLifecycle lifecycle;
  private final Reconciler reconciler;
  private final SchedulerStore store;
  private final TaskRunner runner;
  private final PortsInUse portsInUse;
  private final HealthProbe probe;
  private long tick = -1;
  private boolean stopping;

  public Scheduler(Vertx vertx, String clusterId, List<NodeSpec> nodes, TaskRunner runner, EventBus events,
      Path stateDir) {
    this.vertx = vertx;
    this.state = new ClusterState(clusterId, nodes);
    this.events = events;
    this.store = new SchedulerStore(vertx, stateDir, state);
    this.lifecycle = new TaskLifecycle(state, runner, events, stateDir.resolve("nodes"), this::changed);
    this.probe = new HealthProbe(vertx);
    this.lifecycle.useHealthMonitor(new HealthMonitor(vertx, probe, lifecycle));
    this.portsInUse = new PortsInUse(vertx, !runner.simulated());
    this.reconciler = new Reconciler(state, lifecycle, events, portsInUse);
    this.runner = runner;
  }

  /** Loads the stored apps, takes over their still-running tasks, and starts reconciling. */
  public Future<Void> start() {
    return store.restore(runner, lifecycle).compose(v -> portsInUse.refresh()).map(v -> {
      tick = vertx.setPeriodic(TICK_MILLIS, t -> portsInUse.refresh().onComplete(r -> reconcile()));
      reconcile();
      return null;
    });
  }

  /**
   * Stops every task (SIGTERM, then SIGKILL after each app's grace period), waits for all to end,
   * writes the state and closes the health checks' HTTP clients.
   */
  public Future<Void> stop() {
    // From here on nothing is launched: a task that ends must not be replaced.
    stopping = true;
    vertx.cancelTimer(tick);
    List.copyOf(state.tasks.values()).forEach(lifecycle::kill);
    return Future.join(new ArrayList<>(lifecycle.exits())).<Void>mapEmpty()
        .compose(v -> store.flush())
        .eventually(probe::close);
  }

  public EventBus events() {
    return events;
  }

  /** The nodes, as the Mesos agents they stand for. */
  public List<NodeSpec> nodes() {
    return List.copyOf(state.nodes);
  }

  /** A node's Mesos agent id. */
  public String agentId(NodeSpec node) {
    return state.slaveId(node);
  }

  public String clusterId() {
    return state.clusterId;
  }

  public boolean simulated() {
    return runner.simulated();
  }

  public List<AppDefinition> apps() {
    return List.copyOf(state.apps.values());
  }

  public Optional<AppDefinition> app(AppId id) {
    return Optional.ofNullable(state.apps.get(id));
  }

  public List<Task> tasks() {
    return state.active();
  }

  public List<Task> tasksOf(AppId id) {
    return state.tasksOf(id).stream().filter(Task::active).toList();
  }

  public List<HealthResult> health(String taskId) {
    return lifecycle.health().results(taskId);
  }

  public boolean healthy(String taskId) {
    return lifecycle.health().healthy(taskId);
  }

  public Optional<ObjectNode> lastTaskFailure(AppId id) {
    return Optional.ofNullable(state.lastFailure.get(id)).map(ObjectNode::deepCopy);
  }

  /** The app's stored versions, newest first (at most {@link AppVersions#MAX}); empty for an unknown app. */
  public List<AppDefinition> versions(AppId id) {
    return state.versions.of(id);
  }

  /** The app as it was at {@code version}, if that version is still kept. */
  public Optional<AppDefinition> version(AppId id, String version) {
    return state.versions.of(id, version);
  }

  /** What waits to be launched, for {@code /v2/queue}: apps with fewer active tasks than instances. */
  public List<QueuedApp> queue() {
    Instant now = Instant.now();
    List<QueuedApp> queue = new ArrayList<>();
    for (AppDefinition app : state.apps.values()) {
      int missing = app.instances() - tasksOf(app.id()).size();
      if (missing > 0) {
        Instant notBefore = Optional.ofNullable(state.backoff.get(app.id())).map(ClusterState.Backoff::notBefore)
            .orElse(Instant.EPOCH);
        long left = Math.max(0, java.time.Duration.between(now, notBefore).toSeconds());
        queue.add(new QueuedApp(app, missing, left, app.version()));
      }
    }
    return queue;
  }

  /**
   * An app waiting for {@code count} more tasks.
   *
   * @param delaySeconds how long its launch backoff still holds it (0: it waits for resources)
   * @param since when the version it launches was made
   */
  public record QueuedApp(AppDefinition app, int count, long delaySeconds, String since) {}

  public List<Deployment> deployments() {
    return List.copyOf(state.deployments.values());
  }

  public List<Deployment> deploymentsOf(AppId id) {
    return state.deploymentsOf(id);
  }

  /**
   * Creates or replaces {@code target} (its id says which app) and starts the deployment to it.
   *
   * @throws AppLockedException when a deployment holds the app and {@code force} is false
   */
  public Deployment put(ObjectNode target, boolean force) {
    AppId id = AppId.of(target.path("id").asText());
    Optional<AppDefinition> previous = app(id);
    lock(id, force);
    String now = Instant.now().toString();
    ObjectNode json = target.deepCopy();
    List<AppDefinition> others = state.apps.values().stream().filter(a -> !a.id().equals(id)).toList();
    ServicePorts.assign(json, previous, others);
    boolean scaleOnly = previous.map(p -> sameConfig(p.json(), json)).orElse(false);
    json.put("version", now);
    ObjectNode versionInfo = json.putObject("versionInfo");
    versionInfo.put("lastScalingAt", now);
    versionInfo.put("lastConfigChangeAt", scaleOnly
        ? previous.get().json().path("versionInfo").path("lastConfigChangeAt").asText(now) : now);
    if (!scaleOnly) {
      state.backoff.remove(id);
    }
    state.apps.put(id, AppDefinition.of(json));
    state.versions.add(state.apps.get(id));
    String action = previous.isEmpty() ? "StartApplication" : scaleOnly ? "ScaleApplication" : "RestartApplication";
    return deploy(id, now, action, previous);
  }

  /** Deletes the app; its tasks are killed by the deployment. Marathon's DELETE is forced by default. */
  public Optional<Deployment> delete(AppId id, boolean force) {
    Optional<AppDefinition> previous = app(id);
    if (previous.isEmpty()) {
      return Optional.empty();
    }
    lock(id, force);
    state.apps.remove(id);
    state.versions.remove(id);
    return Optional.of(deploy(id, Instant.now().toString(), "StopApplication", previous));
  }

  /** Restarts every task of the app following its upgrade strategy. */
  public Optional<Deployment> restart(AppId id, boolean force) {
    return app(id).map(app -> {
      lock(id, force);
      ObjectNode json = app.json();
      String now = Instant.now().toString();
      json.put("version", now);
      // A new config version: every running task is now old and gets replaced.
      json.withObjectProperty("versionInfo").put("lastConfigChangeAt", now);
      state.apps.put(id, AppDefinition.of(json));
      state.versions.add(state.apps.get(id));
      state.backoff.remove(id);
      return deploy(id, now, "RestartApplication", Optional.of(app));
    });
  }

  /** Kills the given tasks (unknown ids are skipped); they are replaced unless {@code scale}. */
  public List<Task> kill(List<String> taskIds) {
    List<Task> killed = new ArrayList<>();
    for (String id : taskIds) {
      Optional.ofNullable(state.tasks.get(id)).filter(Task::active).ifPresent(task -> {
        killed.add(task);
        lifecycle.kill(task);
      });
    }
    changed();
    return killed;
  }

  /** Kills the given tasks and lowers their apps' instances to match: one deployment per app. */
  public List<Deployment> killAndScale(List<String> taskIds) {
    List<Task> tasks = taskIds.stream().map(state.tasks::get).filter(t -> t != null && t.active()).toList();
    List<Deployment> started = new ArrayList<>();
    tasks.stream().map(Task::appId).distinct().forEach(appId -> app(appId).ifPresent(app -> {
      long gone = tasks.stream().filter(t -> t.appId().equals(appId)).count();
      ObjectNode json = app.json();
      json.put("instances", Math.max(0, app.instances() - gone));
      started.add(put(json, true));
    }));
    kill(taskIds);
    return started;
  }

  /** Cancels a deployment without rollback ({@code force=true}). */
  public boolean cancel(String deploymentId) {
    Deployment d = state.deployments.remove(deploymentId);
    if (d == null) {
      return false;
    }
    events.publish(Events.deploymentFailed(d, "Deployment " + d.id() + " was canceled"));
    return true;
  }

  /** Rolls a deployment back: cancels it and deploys the app as it was before. */
  public Optional<Deployment> revert(String deploymentId) {
    Deployment d = state.deployments.get(deploymentId);
    if (d == null) {
      return Optional.empty();
    }
    cancel(deploymentId);
    if (d.previous().isEmpty()) {
      return delete(d.app(), true);
    }
    return Optional.of(put(d.previous().get().json(), true));
  }

  private void lock(AppId id, boolean force) {
    List<Deployment> blocking = state.deploymentsOf(id);
    if (blocking.isEmpty()) {
      return;
    }
    if (!force) {
      throw new AppLockedException(blocking);
    }
    blocking.forEach(d -> cancel(d.id()));
  }

  private Deployment deploy(AppId id, String version, String action, Optional<AppDefinition> previous) {
    Deployment deployment = Deployment.start(id, version, action, previous);
    state.deployments.put(deployment.id(), deployment);
    events.publish(Events.deploymentInfo(deployment));
    changed(id);
    return deployment;
  }

  /** Publishes an {@code api_post_event} for a create or update through the API. */
  public void apiPosted(String clientIp, String uri, AppDefinition app) {
    events.publish(Events.apiPost(clientIp, uri, app.json()));
  }

  /** Something happened that may concern any app (tasks killed by id): a pass over all of them. */
  private void changed() {
    allChanged = true;
    passSoon();
  }

  /** Something happened to one app: a pass over that app (the 250 ms tick still looks at all). */
  private void changed(AppId id) {
    changedApps.add(id);
    passSoon();
  }

  /**
   * Coalesced: a burst of API calls (a controller writing a thousand apps) costs one short pass
   * per few milliseconds over the apps that changed, rather than a pass over all apps per call.
   * Each pass first refreshes the ports in use (on a worker); changes meanwhile join the pass.
   */
  private void passSoon() {
    store.saveSoon();
    if (!reconcilePending) {
      reconcilePending = true;
      vertx.setTimer(COALESCE_MILLIS, t -> portsInUse.refresh().onComplete(r -> {
        reconcilePending = false;
        if (stopping) {
          return;
        }
        if (allChanged) {
          allChanged = false;
          changedApps.clear();
          reconciler.reconcileAll();
        } else {
          Set<AppId> apps = new HashSet<>(changedApps);
          changedApps.clear();
          reconciler.reconcileApps(apps);
        }
      }));
    }
  }

  private void reconcile() {
    if (!stopping) {
      reconciler.reconcileAll();
    }
  }

  private static boolean sameConfig(ObjectNode before, ObjectNode after) {
    ObjectNode a = before.deepCopy();
    ObjectNode b = after.deepCopy();
    for (ObjectNode n : List.of(a, b)) {
      n.remove(List.of("instances", "version", "versionInfo"));
    }
    return a.equals(b);
  }
}
