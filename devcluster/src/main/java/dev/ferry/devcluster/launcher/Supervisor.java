package dev.ferry.devcluster.launcher;

import dev.ferry.api.process.ManagedProcess;
import dev.ferry.devcluster.nodes.NodeSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The process behind {@code ./ferry up} that owns the cluster's processes: it starts them in
 * order (etcd, ZooKeeper, the pools, the scheduler, the agents, the controller), each only once
 * the one before answers; records them in {@code cluster.json}; notes any that exits; and when
 * {@code down} asks (the {@code stop} file) stops them in reverse order, SIGTERM then SIGKILL
 * after each one's grace. Pools, mounts, secrets and the ferryctl context are {@link Teardown}'s.
 *
 * <p>If it is killed outright, {@link ManagedProcess}'s shutdown hook still ends its children,
 * and {@code down} finds the rest through {@code cluster.json}.
 */
final class Supervisor {

  private record Running(ProcessSpec spec, ManagedProcess process) {}

  private final LaunchOptions options;
  private final StateDir dir;
  private final ComponentConfigs configs;
  private final Build build;
  private final PrintStream out;
  private final Deque<Running> running = new ArrayDeque<>();
  private ClusterRecord record;

  Supervisor(LaunchOptions options, PrintStream out) {
    this.options = options;
    this.dir = new StateDir(options.stateDir());
    this.configs = new ComponentConfigs(options, dir);
    this.build = new Build(options.home());
    this.out = out;
  }

  /** Runs the cluster until {@code down} asks it to stop; 0 when it stopped cleanly, 1 when it failed to start. */
  int run() {
    List<ClusterRecord.Node> nodes = options.nodes().stream()
        .map(n -> new ClusterRecord.Node(n.name(), n.address(), n.attributes(), options.poolOf(n),
            dir.datasetRoot(n.name()).toString()))
        .toList();
    record = new ClusterRecord("STARTING", "", ProcessHandle.current().pid(), Instant.now(), dir.root().toString(),
        List.of(), nodes, List.of(), options.context(), options.ferryctlConfig().toString(), false);
    record.write(dir);
    OwnProcesses.writePid(dir.supervisorPid(), ProcessHandle.current().pid());
    try {
      startAll();
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      say("FAILED: " + message);
      stopAll();
      update(record.withPhase("FAILED", message));
      return 1;
    }
    update(record.withPhase("READY", ""));
    say("READY");
    watchUntilStopRequested();
    update(record.withPhase("STOPPING", ""));
    stopAll();
    update(record.withPhase("STOPPED", ""));
    say("stopped");
    return 0;
  }

  private void startAll() {
    createDirectories();
    if (options.plainHttp()) {
      say("--plain-http: no TLS; the API, the agents and etcd take anyone who can reach them");
    } else {
      ClusterCertificates.create(dir, options.nodes());
      say("wrote the cluster CA and the components' certificates to " + dir.tlsDir());
    }
    start(configs.etcd());
    if (options.zookeeper().isPresent()) {
      say("using the ZooKeeper ensemble at " + options.zookeeperConnect());
    } else {
      start(configs.zookeeper());
    }
    for (NodeSpec node : options.nodes()) {
      createPool(node);
    }
    String token = ClusterSecrets.create(dir);
    say("wrote the admin token to " + dir.tokens() + " and the cluster key to " + dir.clusterKey());
    start(configs.scheduler());
    for (NodeSpec node : options.nodes()) {
      startIfBuilt(Build.AGENT, "agent-" + node.name(), () -> configs.agent(node));
    }
    startIfBuilt(Build.CONTROLLER, "controller", configs::controller);
    FerryctlConfig.putContext(options.ferryctlConfig(), options.context(), configs.controllerUrl(), token,
        configs.certificateAuthority());
    update(record.withContextWritten());
    say("ferryctl context " + options.context() + " (server " + configs.controllerUrl() + ") in " + options.ferryctlConfig());
  }

  private void createDirectories() {
    try {
      Files.createDirectories(dir.logs());
      Files.createDirectories(dir.scheduler());
      for (NodeSpec node : options.nodes()) {
        Files.createDirectories(dir.datasetRoot(node.name()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create directories in " + dir.root(), e);
    }
  }

  private void createPool(NodeSpec node) {
    String pool = options.poolOf(node);
    if (Pools.exists(pool)) {
      throw new IllegalStateException("a pool named " + pool + " already exists and is not this cluster's:"
          + " destroy it if nothing needs it, or choose other names with --pool-prefix");
    }
    // Recorded before it exists, so that a crash right after `zpool create` still leaves it to `down`.
    update(record.withPool(pool));
    Pools.create(pool, dir.vdev(node.name()), options.poolSizeBytes());
    say("pool " + pool + " for " + node.name() + " on " + dir.vdev(node.name()));
  }

  private void startIfBuilt(Build.Main main, String name, java.util.function.Supplier<ProcessSpec> spec) {
    if (build.hasClass(main)) {
      start(spec.get());
    } else {
      say(name + ": not built yet (" + build.whatIsMissing(main) + "); skipping it");
      update(record.withComponent(new ClusterRecord.Component(name, 0, "", "", "", "not built")));
    }
  }

  private void start(ProcessSpec spec) {
    if (Files.exists(dir.stopRequest())) {
      throw new IllegalStateException("./ferry down asked the cluster to stop while it was starting");
    }
    spec.configFile().ifPresent(file -> {
      try {
        Files.createDirectories(file.path().getParent());
        Files.writeString(file.path(), file.text());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file.path(), e);
      }
    });
    say("starting " + spec.name());
    ManagedProcess process = ManagedProcess.start(spec.name(), spec.command(), spec.env(), dir.log(spec.name()));
    running.push(new Running(spec, process));
    OwnProcesses.writePid(dir.pidFile(spec.name()), process.pid());
    update(record.withComponent(component(spec, process, "started")));
    process.awaitReady(spec.readiness().what(), spec.startTimeout(), spec.readiness().probe());
    update(record.withComponent(component(spec, process, "ready")));
    say(spec.name() + " is up on " + spec.address() + " (pid " + process.pid() + ")");
  }

  private void watchUntilStopRequested() {
    while (!Files.exists(dir.stopRequest())) {
      for (Running r : running) {
        ClusterRecord.Component recorded = recorded(r.spec().name());
        if (!r.process().isAlive() && !"exited".equals(recorded.state())) {
          say(r.spec().name() + " exited; its log is " + r.process().logFile());
          update(record.withComponent(component(r.spec(), r.process(), "exited")));
        }
      }
      OwnProcesses.sleep(250);
    }
    say("stop requested");
  }

  private void stopAll() {
    while (!running.isEmpty()) {
      Running r = running.pop();
      if (r.process().isAlive()) {
        say("stopping " + r.spec().name() + " (pid " + r.process().pid() + ")");
      }
      r.process().stop(r.spec().stopGrace());
      update(record.withComponent(component(r.spec(), r.process(), "stopped")));
    }
  }

  private ClusterRecord.Component recorded(String name) {
    return record.components().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  private ClusterRecord.Component component(ProcessSpec spec, ManagedProcess process, String state) {
    return new ClusterRecord.Component(spec.name(), process.pid(), spec.address(), spec.url(),
        dir.log(spec.name()).toString(), state);
  }

  private void update(ClusterRecord updated) {
    record = updated;
    record.write(dir);
  }

  private void say(String line) {
    out.println("ferry: " + line);
    out.flush();
  }
}
