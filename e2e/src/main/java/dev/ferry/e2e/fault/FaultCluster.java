package dev.ferry.e2e.fault;

import dev.ferry.api.model.Quantity;
import dev.ferry.api.process.Command;
import dev.ferry.api.process.FreePort;
import dev.ferry.api.process.ManagedProcess;
import dev.ferry.devcluster.launcher.ClusterRecord;
import dev.ferry.e2e.cluster.FerryUpCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code ./ferry up} cluster whose components the faults act on as OS processes: each one's pid
 * comes from {@code cluster.json} (or from this class when it started the process again), kill -9
 * and SIGSTOP/SIGCONT are real signals, and a component is started again with the exact command
 * line and environment the supervisor gave it ({@link ProcessLaunch}). A second controller can be
 * started beside the first (the same command, another API port) so that a standby takes over
 * when the leader dies.
 *
 * <p>Closing it stops what it started and runs {@code ./ferry down}: the controllers and agents
 * it started before {@code down} (so that none acts on a pool being destroyed), etcd and ZooKeeper
 * after (so that the components {@code down} stops can still reach them).
 */
public final class FaultCluster implements AutoCloseable {

  /** Components started again by this class that must outlive {@code ./ferry down}'s stopping of the others. */
  /** The name that faults give the leading controller, whichever it is when the fault strikes. */
  public static final String LEADER = "leader";
  private static final String AGENT = "agent-";
  private static final Set<String> STORES = Set.of("etcd", "zookeeper");
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  private final FerryUpCluster cluster;
  /** What this class started, by component name: the restarted components and the extra controllers. */
  private final Map<String, ManagedProcess> started = new LinkedHashMap<>();
  /** How each component was launched, read while it ran, so that it can be started after it died. */
  private final Map<String, ProcessLaunch> launches = new LinkedHashMap<>();
  /** The API port of each controller this class started beside {@code ./ferry up}'s. */
  private final Map<String, Integer> extraControllers = new LinkedHashMap<>();
  /** The lease each killed agent's Node had, to tell its successor's registration from it. */
  private final Map<String, Long> leasesAtKill = new java.util.concurrent.ConcurrentHashMap<>();
  private int restarts;

  private FaultCluster(FerryUpCluster cluster) {
    this.cluster = cluster;
  }

  /** Starts {@code ./ferry up} on free ports and a temp state directory, pools of {@code poolSize}. */
  public static FaultCluster up(Path home, Quantity poolSize) throws IOException {
    FaultCluster faults = new FaultCluster(FerryUpCluster.up(home, poolSize));
    for (ClusterRecord.Component c : faults.cluster.record().components()) {
      if (c.pid() > 0) {
        faults.launches.put(c.name(), ProcessLaunch.of(c.pid()));
      }
    }
    return faults;
  }

  public FerryUpCluster cluster() {
    return cluster;
  }

  /** How the component was started (its command line and environment), to read its configuration. */
  public ProcessLaunch launch(String component) {
    return Optional.ofNullable(launches.get(component)).orElseThrow(
        () -> new IllegalArgumentException("no launch recorded for " + component + " in " + components()));
  }

  /** The component names: etcd, zookeeper, scheduler, agent-node1, ..., controller and any extra controller. */
  public List<String> components() {
    List<String> names = new ArrayList<>(launches.keySet());
    names.addAll(extraControllers.keySet());
    return names;
  }

  /**
   * The component a fault names: {@link #LEADER} is the controller that leads at this moment
   * (waiting up to a minute for one to), any other name is itself.
   */
  public String resolve(String component) throws InterruptedException {
    if (!component.equals(LEADER)) {
      return component;
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> leader = leader();
      if (leader.isPresent()) {
        return leader.get();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no controller leads");
  }

  /** The pid of the component as it runs now (after a restart, the new one's). */
  public long pid(String component) {
    ManagedProcess own = started.get(component);
    if (own != null) {
      return own.pid();
    }
    return cluster.record().components().stream().filter(c -> c.name().equals(component)).findFirst()
        .map(ClusterRecord.Component::pid).filter(p -> p > 0)
        .orElseThrow(() -> new IllegalArgumentException("no component " + component + " in " + components()));
  }

  public boolean alive(String component) {
    return ProcessHandle.of(pid(component)).map(ProcessHandle::isAlive).orElse(false);
  }

  /** kill -9 of the component's process; returns once it is gone. */
  public void kill(String component) {
    long pid = pid(component);
    if (component.startsWith(AGENT)) {
      String node = component.substring(AGENT.length());
      leasesAtKill.put(node, leaseOf(node).orElse(0L));
    }
    signal("KILL", pid);
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join());
  }

  /** SIGSTOP: the process stays, frozen, with its sockets and sessions, until {@link #resume}. */
  public void freeze(String component) {
    signal("STOP", pid(component));
  }

  /** SIGCONT of a frozen component. */
  public void resume(String component) {
    signal("CONT", pid(component));
  }

  /**
   * Starts the (dead) component again with the command line and environment the supervisor gave
   * it, its output appended to the cluster's log of it, and waits until it answers on its address.
   */
  public void startAgain(String component) {
    ProcessLaunch launch = Optional.ofNullable(launches.get(component)).orElseThrow(
        () -> new IllegalArgumentException("no launch recorded for " + component));
    if (alive(component)) {
      throw new IllegalStateException(component + " still runs (pid " + pid(component) + ")");
    }
    String address = cluster.record().components().stream().filter(c -> c.name().equals(component)).findFirst()
        .map(ClusterRecord.Component::address).orElse("");
    start(component, launch, address);
    if (component.startsWith(AGENT)) {
      awaitRegistered(component.substring(AGENT.length()));
    }
  }

  /**
   * Waits until the agent started again has registered its Node under a lease of its own: its
   * transfer port answers before that, and a move asked for in between finds no Node (the new
   * agent removes the one its dead predecessor left before it registers again).
   */
  private void awaitRegistered(String node) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    long before = Optional.ofNullable(leasesAtKill.remove(node)).orElse(0L);
    while (System.nanoTime() < deadline) {
      Optional<Long> lease = leaseOf(node);
      if (lease.isPresent() && lease.get() != before) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("the agent of " + node + " did not register its Node within " + READY_TIMEOUT);
  }

  /** The lease the Node is registered under, as the API shows it; empty while there is none or the API is away. */
  private Optional<Long> leaseOf(String node) {
    try {
      return cluster.get("nodes", node).map(n -> n.path("status").path("leaseId").asLong(0)).filter(l -> l != 0);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts one more controller beside {@code ./ferry up}'s: the same command line, another API
   * port ({@code FERRY_LISTEN_PORT}). Both join the leader election; one leads.
   */
  public String startStandbyController() {
    String name = "controller-" + (extraControllers.size() + 2);
    int port = FreePort.pick();
    ProcessLaunch launch = launches.get("controller").withEnv(Map.of("FERRY_LISTEN_PORT", Integer.toString(port)));
    extraControllers.put(name, port);
    launches.put(name, launch);
    start(name, launch, "127.0.0.1:" + port);
    return name;
  }

  /** The controllers' names, {@code ./ferry up}'s first. */
  public List<String> controllers() {
    List<String> names = new ArrayList<>(List.of("controller"));
    names.addAll(extraControllers.keySet());
    return names;
  }

  /**
   * The controller that leads now (its {@code ferry_leader} metric is 1), if one does; a
   * controller that does not answer (dead, frozen) is not asked twice.
   */
  public Optional<String> leader() {
    for (String c : controllers()) {
      if (alive(c) && leading(c)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private boolean leading(String controller) {
    try {
      HttpResponse<String> r = cluster.http().send(HttpRequest.newBuilder(URI.create(controllerUrl(controller) + "/metrics"))
          .header("Authorization", "Bearer " + cluster.token()).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().lines().anyMatch(l -> l.matches("ferry_leader(\\{[^}]*})? 1(\\.0)?"));
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String controllerUrl(String controller) {
    Integer port = extraControllers.get(controller);
    // The other controllers serve the API as the first one does: HTTPS unless --plain-http.
    return port == null ? cluster.apiUrl() : cluster.apiUrl().replaceFirst(":[0-9]+$", ":" + port);
  }

  private void start(String component, ProcessLaunch launch, String address) {
    restarts++;
    Path log = cluster.stateDir().resolve("logs").resolve(component + ".log");
    ManagedProcess process = ManagedProcess.start(component + " (started again, " + restarts + ")",
        launch.command(), launch.env(), log);
    started.put(component, process);
    int colon = address.lastIndexOf(':');
    if (colon > 0) {
      String host = address.substring(0, colon);
      int port = Integer.parseInt(address.substring(colon + 1));
      process.awaitReady(component + " answering on " + address, READY_TIMEOUT, () -> answers(host, port));
    }
  }

  private static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void signal(String signal, long pid) {
    Command.run("kill", "-" + signal, Long.toString(pid)).orThrow();
  }

  /** Stops what this class started and the cluster (see the class comment), whatever state they are in. */
  @Override
  public void close() {
    closeWith(cluster::close);
  }

  /** Like {@link #close()}, and the cluster's logs are copied to {@code logs} and its temp directory removed. */
  public void close(Path logs) {
    closeWith(() -> cluster.close(logs));
  }

  private void closeWith(Runnable down) {
    List<String> names = new ArrayList<>(started.keySet());
    java.util.Collections.reverse(names);
    for (String name : names) {
      if (!STORES.contains(name)) {
        stopOwn(name);
      }
    }
    // A component left frozen by a failed test would hold up ./ferry down for its whole grace.
    for (ClusterRecord.Component c : cluster.record().components()) {
      if (c.pid() > 0 && ProcessHandle.of(c.pid()).isPresent()) {
        Command.run("kill", "-CONT", Long.toString(c.pid()));
      }
    }
    down.run();
    for (String name : names) {
      if (STORES.contains(name)) {
        stopOwn(name);
      }
    }
  }

  private void stopOwn(String name) {
    ManagedProcess p = started.remove(name);
    if (p != null) {
      Command.run("kill", "-CONT", Long.toString(p.pid()));
      p.stop(Duration.ofSeconds(15));
    }
  }
}
