package dev.ferry.controller;

import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.api.metrics.PrometheusMetrics;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.controller.api.ApiServer;
import dev.ferry.controller.api.ApiServerOptions;
import dev.ferry.controller.auth.ReloadingTokens;
import dev.ferry.controller.discovery.LeaderFollower;
import dev.ferry.controller.discovery.MesosAgents;
import dev.ferry.controller.gitops.GitOps;
import dev.ferry.controller.gitops.GitOpsOptions;
import dev.ferry.controller.leader.Leadership;
import dev.ferry.controller.marathon.MarathonClient;
import dev.ferry.controller.runtime.LeaderDuties;
import dev.ferry.controller.runtime.ReconcilerMetrics;
import dev.ferry.controller.runtime.Reconcilers;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running controller replica: the store and the API server (every replica serves the API),
 * and, while this replica leads (Curator's leader election over ZooKeeper), the reconcilers and
 * GitOps. Wired from a {@link ControllerConfig}; {@link #close} stops them in reverse order.
 */
public final class Controller implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
  /** How often the Mesos master is asked for its agents, when one is configured. */
  private static final Duration MESOS_POLL = Duration.ofSeconds(15);

  private final ControllerConfig config;
  private final EtcdStore store;
  private final Vertx vertx;
  private final PrometheusMetrics metrics = new PrometheusMetrics();
  private final GitOps gitops;
  private final ApiServer api;
  private final MarathonClient marathon;
  private final Optional<LeaderFollower> marathonLeader;
  private final Optional<LeaderFollower> mesosLeader;
  private final MesosAgents mesos;
  private final LeaderDuties duties;
  /** One ZooKeeper client per ensemble: Ferry's election, Marathon's and Mesos's usually share one. */
  private final Map<String, CuratorFramework> zookeepers = new LinkedHashMap<>();
  private final CuratorFramework curator;
  private final Leadership leadership;

  private Controller(ControllerConfig config) {
    this.config = config;
    ReloadingTokens tokens = ReloadingTokens.read(config.tokensFile());
    this.store = EtcdStore.connect(config.etcd());
    this.vertx = Vertx.vertx();
    this.gitops = new GitOps(config.gitopsCacheDir(), metrics.registry(),
        GitOpsOptions.DEFAULTS.withFileUrls(config.gitopsAllowFileUrls()).withCredentialsDir(config.gitopsCredentialsDir())
            .withQuotas(config.quotas()));
    this.api = new ApiServer(ApiServerOptions.defaults().withListen(config.listenHost(), config.listenPort())
        .withFileGitUrls(config.gitopsAllowFileUrls()).withTls(config.tls()).withMaxListPage(config.listMaxPage())
        .withQuotas(config.quotas()), store, tokens, metrics, gitops);
    this.curator = zookeeper(config.zookeeperConnect());
    this.marathonLeader = config.marathonZk().map(zk -> LeaderFollower.marathon(zookeeper(zk.connect()), zk));
    this.marathon = new MarathonClient(vertx, marathonLeader.<Supplier<URI>>map(
        f -> () -> f.leader().orElse(config.marathonUrl())).orElse(config::marathonUrl),
        config.marathonCredentialsFile().map(MarathonCredentials::read));
    this.mesosLeader = config.mesosZk().map(zk -> LeaderFollower.mesos(zookeeper(zk.connect()), zk));
    this.mesos = mesosLeader.map(f -> MesosAgents.polling(vertx, f::leader, MESOS_POLL))
        .or(() -> config.mesosUrl().map(url -> MesosAgents.polling(vertx, () -> Optional.of(url), MESOS_POLL)))
        .orElseGet(MesosAgents::none);
    ReconcilerMetrics reconcilerMetrics = new ReconcilerMetrics(metrics.registry());
    this.duties = new LeaderDuties(vertx, store, marathon, mesos, clusterKey(config),
        Reconcilers.Settings.DEFAULT.withTaskGuard(config.taskGuard()).withSecretsDir(config.secretsDir())
            .withMigrationHistoryLimit(config.migrationHistoryLimit())
            .withMaxMigrationsPerNode(config.maxMigrationsPerNode()),
        Clock.systemUTC(), reconcilerMetrics).also(gitops);
    reconcilerMetrics.watch(duties);
    this.leadership = new Leadership(curator, config.zookeeperPath() + "/controller-leader",
        ManagementFactory.getRuntimeMXBean().getName(), duties);
  }

  private CuratorFramework zookeeper(String connect) {
    return zookeepers.computeIfAbsent(connect, c -> CuratorFrameworkFactory.newClient(c, 10_000, 5_000,
        new ExponentialBackoffRetry(200, 10)));
  }

  private static ClusterKey clusterKey(ControllerConfig config) {
    if (config.clusterKeyFile().isEmpty()) {
      LOG.warn("no clusterKeyFile (FERRY_CLUSTER_KEY_FILE): agents will refuse this controller's transfer tickets,"
          + " so no dataset can move");
      return ClusterKey.random();
    }
    return ClusterKey.fromFile(config.clusterKeyFile().get());
  }

  /**
   * Starts everything and returns once the API listens.
   *
   * @throws IllegalStateException if the API cannot listen (the port is taken) or the tokens
   *     file is unreadable
   */
  public static Controller start(ControllerConfig config) {
    Controller controller = new Controller(config);
    try {
      controller.vertx.deployVerticle(controller.api).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      controller.close();
      throw new IllegalStateException("the API cannot listen on " + config.listenHost() + ":"
          + config.listenPort() + ": " + e.getMessage(), e);
    }
    controller.zookeepers.values().forEach(CuratorFramework::start);
    controller.marathonLeader.ifPresent(LeaderFollower::start);
    controller.mesosLeader.ifPresent(f -> f.start().onChange(() -> controller.mesos.refresh()));
    controller.mesos.start();
    controller.leadership.start();
    LOG.info("Ferry controller {} serving {} on {}:{}", ApiServer.version(), config.tls().isPresent() ? "HTTPS" : "plain HTTP",
        config.listenHost(), controller.api.port());
    return controller;
  }

  public int apiPort() {
    return api.port();
  }

  public PrometheusMetrics metrics() {
    return metrics;
  }

  public EtcdStore store() {
    return store;
  }

  public ControllerConfig config() {
    return config;
  }

  /** Whether this replica leads (and so reconciles). */
  public boolean isLeading() {
    return leadership.isLeading();
  }

  /** The reconcilers, while this replica leads. */
  public LeaderDuties duties() {
    return duties;
  }

  @Override
  public void close() {
    leadership.close();
    gitops.stop();
    mesos.close();
    mesosLeader.ifPresent(LeaderFollower::close);
    marathonLeader.ifPresent(LeaderFollower::close);
    zookeepers.values().forEach(CuratorFramework::close);
    marathon.close();
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.toString());
    }
    store.close();
    metrics.close();
  }
}
