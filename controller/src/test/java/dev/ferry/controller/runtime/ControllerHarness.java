package dev.ferry.controller.runtime;

import dev.ferry.api.metrics.PrometheusMetrics;
import dev.ferry.api.process.Directories;
import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.store.EtcdConfig;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.controller.leader.Leadership;
import dev.ferry.controller.marathon.MarathonClient;
import dev.ferry.controller.marathon.TaskGuard;
import dev.ferry.controller.queue.Backoff;
import dev.ferry.devcluster.Devcluster;
import dev.ferry.devcluster.DevclusterConfig;
import dev.ferry.devcluster.marathon.ApiAccess;
import dev.ferry.testing.TestData;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * Controller replicas wired as in production (leader election over a real ZooKeeper, fenced
 * writes to a real etcd) against devcluster, Ferry's Marathon-compatible scheduler, in-process.
 * One replica starts with it; tests of failover start more. Closing it stops everything it
 * started and removes its temp dirs.
 */
final class ControllerHarness implements AutoCloseable {

  /** Tasks run on this machine: they are launched through the checkout's script. */
  static final TaskGuard GUARD = new TaskGuard(
      TestData.repositoryFile("scripts/ferry-task-guard").toString());

  final Vertx vertx = Vertx.vertx();
  final EtcdStore store;
  final Devcluster marathon;
  final MarathonClient marathonClient;
  /** What devcluster asks of every client: the harness's clients send them. */
  final MarathonCredentials marathonCredentials = new MarathonCredentials("ferry", UUID.randomUUID().toString());
  final ClusterKey key;
  final PrometheusMetrics metrics = new PrometheusMetrics();
  /** The replica started first; usually the leader. */
  final LeaderDuties duties;
  /** The controller's secrets directory ({@code secretsDir}): tests put the secrets their apps name here. */
  final Path secretsDir;
  private final String zookeeper;
  private final int maxMigrationsPerNode;
  private final Path stateDir;
  private final List<Replica> replicas = new ArrayList<>();

  ControllerHarness(EtcdConfig etcd, String zookeeper) throws Exception {
    this(etcd, zookeeper, ClusterKey.random());
  }

  ControllerHarness(EtcdConfig etcd, String zookeeper, ClusterKey key) throws Exception {
    this(etcd, zookeeper, key, Reconcilers.Settings.DEFAULT_MAX_MIGRATIONS_PER_NODE);
  }

  /** With {@code maxMigrationsPerNode} migrations at most from and to one node at once. */
  ControllerHarness(EtcdConfig etcd, String zookeeper, ClusterKey key, int maxMigrationsPerNode) throws Exception {
    this.maxMigrationsPerNode = maxMigrationsPerNode;
    this.key = key;
    this.zookeeper = zookeeper;
    stateDir = Files.createTempDirectory("ferry-controller-test");
    secretsDir = Files.createDirectory(stateDir.resolve("app-secrets"));
    store = EtcdStore.connect(etcd);
    marathon = Devcluster.start(vertx, new DevclusterConfig("127.0.0.1", 0, DevclusterConfig.seedNodes(), stateDir, false,
        ApiAccess.authenticated(marathonCredentials))).await();
    marathonClient = new MarathonClient(vertx, () -> URI.create(marathon.url()), Optional.of(marathonCredentials));
    duties = replica("first").duties;
  }

  /** One controller replica: its own ZooKeeper session, leader election and reconcilers. */
  final class Replica implements AutoCloseable {
    final CuratorFramework curator;
    final LeaderDuties duties;
    final Leadership leadership;

    private Replica(String id) {
      curator = CuratorFrameworkFactory.newClient(zookeeper, 5_000, 3_000, new ExponentialBackoffRetry(100, 3));
      curator.start();
      Reconcilers.Settings settings = new Reconcilers.Settings(4, Duration.ofSeconds(30),
          new Backoff(Duration.ofMillis(5), Duration.ofSeconds(2)), 200, GUARD).withSecretsDir(Optional.of(secretsDir))
          .withMaxMigrationsPerNode(maxMigrationsPerNode);
      duties = new LeaderDuties(vertx, store, marathonClient, key, settings, Clock.systemUTC(),
          new ReconcilerMetrics(metrics.registry()));
      leadership = new Leadership(curator, "/ferry/test-leader", id, duties).start();
    }

    /** The replica dies: its reconcilers stop and its ZooKeeper session ends, so another leads. */
    void crash() {
      close();
    }

    @Override
    public void close() {
      leadership.close();
      curator.close();
    }
  }

  /** The leading replica dies; fails if none leads. */
  void crashLeader() {
    Replica leader = replicas.stream().filter(r -> r.duties.running().isPresent()).findFirst()
        .orElseThrow(() -> new IllegalStateException("no replica leads"));
    leader.crash();
  }

  /** Starts another replica; it stands by until the leader goes. */
  Replica replica(String id) {
    Replica r = new Replica(id);
    replicas.add(r);
    return r;
  }

  /** Applies a manifest as a user would (create; the API server's apply path is tested elsewhere). */
  <O extends FerryObject<O, S, T>, S, T> O create(String yaml, Kind<O, S, T> kind) {
    return store.create(Manifests.readOne(yaml, kind)).join();
  }

  @Override
  public void close() throws Exception {
    try {
      replicas.forEach(Replica::close);
      marathonClient.close();
      marathon.stop().await();
      store.close();
    } finally {
      vertx.close().await();
      metrics.close();
      Directories.delete(stateDir);
    }
  }
}
