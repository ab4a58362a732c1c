package dev.ferry.agent.testing;

import dev.ferry.agent.AgentMain;
import dev.ferry.api.process.ManagedProcess;
import dev.ferry.testing.ZfsPoolExtension.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A node agent as a real process ({@code java ... AgentMain}) on its own loopback address and
 * pool, configured through {@code FERRY_*} variables, as {@code ./ferry up} will run it. It can be
 * stopped (SIGTERM) or killed ({@code kill -9}); either way no process outlives the test.
 */
public final class AgentProcess implements AutoCloseable {

  /**
   * One node of a test cluster.
   *
   * @param attributes in Mesos's form, {@code disk:ssd}
   */
  public record TestNode(String name, String address, int port, Pool pool, String attributes) {

    /** Where this node mounts {@code dataset}. */
    public Path mountpoint(String dataset) {
      return pool.mountRoot().resolve(dataset);
    }
  }

  private final TestNode node;
  private final ManagedProcess process;

  private AgentProcess(TestNode node, ManagedProcess process) {
    this.node = node;
    this.process = process;
  }

  /** Starts the agent and waits until its transfer server accepts connections. */
  public static AgentProcess start(TestNode node, String etcdEndpoint, Path clusterKeyFile, Path logDir) {
    return start(node, etcdEndpoint, clusterKeyFile, logDir, Map.of());
  }

  /** {@link #start(TestNode, String, Path, Path)} with {@code extraEnv} added to (or replacing) the agent's environment. */
  public static AgentProcess start(TestNode node, String etcdEndpoint, Path clusterKeyFile, Path logDir,
      Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_NODE_NAME", node.name());
    env.put("FERRY_ADDRESS", node.address());
    env.put("FERRY_TRANSFER_PORT", Integer.toString(node.port()));
    env.put("FERRY_POOL", node.pool().name());
    env.put("FERRY_DATASET_ROOT", node.pool().mountRoot().toString());
    env.put("FERRY_ATTRIBUTES", node.attributes());
    env.put("FERRY_ETCD_ENDPOINTS", etcdEndpoint);
    env.put("FERRY_CLUSTER_KEY_FILE", clusterKeyFile.toString());
    // Beside the pool's mount root: it outlives a restart of the agent and goes with the pool.
    env.put("FERRY_STATE_DIR", stateDir(node).toString());
    env.put("FERRY_LEASE_TTL", "2s");
    env.put("FERRY_REFRESH_INTERVAL", "2s");
    env.put("FERRY_RESYNC_INTERVAL", "5s");
    env.putAll(extraEnv);
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), AgentMain.class.getName());
    ManagedProcess process = ManagedProcess.start("agent of " + node.name(), command, env,
        logDir.resolve(node.name() + ".log"));
    process.awaitPort(node.address(), node.port(), Duration.ofSeconds(60));
    return new AgentProcess(node, process);
  }

  /** Where the agent of {@code node} keeps its state (the used ticket nonces). */
  public static Path stateDir(TestNode node) {
    return node.pool().mountRoot().resolveSibling("agent-state");
  }

  public TestNode node() {
    return node;
  }

  /** {@code kill -9}: no shutdown hook runs, the lease is left to expire. */
  public void kill() {
    ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    process.stop(Duration.ofSeconds(5));
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String logTail() {
    return process.logTail();
  }

  /** SIGTERM, and waits for a clean exit. */
  @Override
  public void close() {
    process.stop(Duration.ofSeconds(20));
  }
}
