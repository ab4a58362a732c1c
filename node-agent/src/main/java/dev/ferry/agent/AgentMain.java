package dev.ferry.agent;

import dev.ferry.agent.config.AgentConfig;
import dev.ferry.agent.config.ConfigException;
import dev.ferry.agent.zfs.ZfsCli;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsException;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.transfer.ClusterKey;
import io.vertx.core.Vertx;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent process: {@code ferry-agent [--config FILE]}, settings from the file and
 * {@code FERRY_*} environment variables (see {@link dev.ferry.agent.config.Setting}).
 *
 * <p>Exits 2 on a bad setting (the message names it) and 1 when the agent cannot start (no such
 * pool, port taken, etcd unreachable). SIGTERM stops it cleanly: streams cut, lease revoked so
 * the Node disappears at once, etcd connection closed.
 */
public final class AgentMain {

  private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final long STOP_TIMEOUT_SECONDS = 15;
  private static final String USAGE = "usage: ferry-agent [--config FILE]\n"
      + "  settings come from FILE (YAML) and FERRY_* environment variables, which win;\n"
      + "  required: nodeName, address, pool, clusterKeyFile (FERRY_NODE_NAME, FERRY_ADDRESS, FERRY_POOL,"
      + " FERRY_CLUSTER_KEY_FILE)";

  private AgentMain() {}

  public static void main(String[] args) {
    AgentConfig config;
    try {
      config = AgentConfig.load(configFile(args), System.getenv());
    } catch (ConfigException e) {
      exit(2, "ferry-agent: " + e.getMessage());
      return;
    }
    Vertx vertx = Vertx.vertx();
    try {
      ClusterKey key = clusterKey(config);
      ZfsDriver zfs = zfs(config);
      EtcdStore store = EtcdStore.connect(config.etcd());
      Agent agent = Agent.start(vertx, config, store, zfs, key, Clock.systemUTC())
          .toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, agent, store), "ferry-agent-shutdown"));
    } catch (Exception e) {
      vertx.close();
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      exit(1, "ferry-agent: cannot start the agent of node " + config.nodeName() + ": " + cause.getMessage());
    }
  }

  private static Optional<Path> configFile(String[] args) {
    if (args.length == 0) {
      return Optional.empty();
    }
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      exit(0, USAGE);
    }
    if (args.length == 2 && args[0].equals("--config")) {
      return Optional.of(Path.of(args[1]));
    }
    throw new ConfigException("unexpected arguments " + Arrays.toString(args) + "\n" + USAGE);
  }

  private static ClusterKey clusterKey(AgentConfig config) {
    try {
      return ClusterKey.fromFile(config.clusterKeyFile());
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new ConfigException("clusterKeyFile " + config.clusterKeyFile() + ": " + e.getMessage());
    }
  }

  /** A driver for the configured pool, which must exist: the agent never creates pools. */
  private static ZfsDriver zfs(AgentConfig config) {
    ZfsDriver zfs = ZfsDriver.detect(config.layout(), ZfsCli.standard());
    try {
      zfs.poolSpace();
    } catch (ZfsException e) {
      throw new ConfigException("pool " + config.layout().pool() + " (pool, FERRY_POOL) is not usable: "
          + e.getMessage());
    }
    zfs.ensureRoot();
    return zfs;
  }

  private static void shutdown(Vertx vertx, Agent agent, EtcdStore store) {
    LOG.info("stopping");
    try {
      agent.stop().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the agent did not stop cleanly: {}", e.toString());
    } finally {
      store.close();
      vertx.close();
    }
  }

  private static void exit(int status, String message) {
    (status == 0 ? System.out : System.err).println(message);
    System.exit(status);
  }
}
