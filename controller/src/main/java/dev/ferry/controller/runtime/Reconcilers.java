package dev.ferry.controller.runtime;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.store.Subscription;
import dev.ferry.api.store.WatchEvent;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.controller.marathon.MarathonApps;
import dev.ferry.controller.marathon.MarathonEvent;
import dev.ferry.controller.marathon.MarathonEventStream;
import dev.ferry.controller.marathon.TaskGuard;
import dev.ferry.controller.migration.MigrationReconciler;
import dev.ferry.controller.queue.Backoff;
import dev.ferry.controller.queue.TokenBucket;
import dev.ferry.controller.queue.WorkQueue;
import dev.ferry.controller.statefulapp.AppConditions;
import dev.ferry.controller.statefulapp.StatefulAppReconciler;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcilers of a leading controller and what wakes them: etcd watches of StatefulApps,
 * Datasets, Nodes and Migrations, Marathon's event stream mapped back to the app that owns each
 * Marathon app, and a periodic resync. Made when the controller becomes leader, closed the moment
 * it stops being one.
 */
public final class Reconcilers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Reconcilers.class);

  /**
   * How the reconcilers run.
   *
   * @param taskGuard where {@code ferry-task-guard} is on the agents, for the Marathon apps written
   * @param secretsDir where the secrets that apps refer to are ({@link dev.ferry.controller.marathon.AppSecrets}); empty for none
   * @param migrationHistoryLimit how many finished Migrations of each StatefulApp are kept (the
   *     newest); older finished ones are deleted, unfinished ones never
   * @param maxMigrationsPerNode how many migrations may run at once from one node, and to one
   *     node: more wait in Pending until one of those ends
   */
  public record Settings(int workers, Duration resync, Backoff backoff, double retriesPerSecond, TaskGuard taskGuard,
      Optional<Path> secretsDir, int migrationHistoryLimit, int maxMigrationsPerNode) {
    public static final int DEFAULT_MIGRATION_HISTORY_LIMIT = 10;
    /** Two moves at once keep a node's disk and link busy without starving the app it runs. */
    public static final int DEFAULT_MAX_MIGRATIONS_PER_NODE = 2;
    public static final Settings DEFAULT = new Settings(16, Duration.ofMinutes(5), Backoff.DEFAULT, 50, TaskGuard.INSTALLED);

    public Settings {
      if (migrationHistoryLimit < 0) {
        throw new IllegalArgumentException("migrationHistoryLimit must not be negative, got " + migrationHistoryLimit);
      }
      if (maxMigrationsPerNode < 1) {
        throw new IllegalArgumentException("maxMigrationsPerNode must be 1 or more, got " + maxMigrationsPerNode);
      }
    }

    /** Settings without a secrets directory, with the default migration history limit. */
    public Settings(int workers, Duration resync, Backoff backoff, double retriesPerSecond, TaskGuard taskGuard) {
      this(workers, resync, backoff, retriesPerSecond, taskGuard, Optional.empty(), DEFAULT_MIGRATION_HISTORY_LIMIT,
          DEFAULT_MAX_MIGRATIONS_PER_NODE);
    }

    public Settings withTaskGuard(TaskGuard guard) {
      return new Settings(workers, resync, backoff, retriesPerSecond, guard, secretsDir, migrationHistoryLimit, maxMigrationsPerNode);
    }

    public Settings withSecretsDir(Optional<Path> dir) {
      return new Settings(workers, resync, backoff, retriesPerSecond, taskGuard, dir, migrationHistoryLimit, maxMigrationsPerNode);
    }

    public Settings withMigrationHistoryLimit(int limit) {
      return new Settings(workers, resync, backoff, retriesPerSecond, taskGuard, secretsDir, limit, maxMigrationsPerNode);
    }

    public Settings withMaxMigrationsPerNode(int most) {
      return new Settings(workers, resync, backoff, retriesPerSecond, taskGuard, secretsDir, migrationHistoryLimit, most);
    }
  }

  private final Cluster cluster;
  private final WorkQueue apps;
  private final WorkQueue migrations;
  private final Map<String, String> ownerByAppId = new ConcurrentHashMap<>();
  private final Map<String, String> ownerByDataset = new ConcurrentHashMap<>();
  private final MarathonEventStream marathonEvents;
  private final Vertx vertx;
  private final long resyncTimer;
  private final Subscription mesosChanges;
  private final EtcdRecovery etcdRecovery;

  public Reconcilers(Vertx vertx, Cluster cluster, ClusterKey key, Settings settings, ReconcilerMetrics metrics) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.etcdRecovery = new EtcdRecovery(vertx, cluster.store(), this::resyncAll);
    this.apps = new WorkQueue(vertx, "statefulapps", etcdRecovery.watching(new StatefulAppReconciler(cluster, settings.taskGuard(),
        settings.migrationHistoryLimit())),
        settings.backoff(), new TokenBucket(settings.retriesPerSecond(), 100, System::nanoTime), settings.workers()).observe(metrics);
    this.migrations = new WorkQueue(vertx, "migrations",
        etcdRecovery.watching(new MigrationReconciler(cluster, key, metrics, settings.taskGuard(),
            settings.maxMigrationsPerNode())),
        settings.backoff(), new TokenBucket(settings.retriesPerSecond(), 100, System::nanoTime), settings.workers())
        .observe(metrics);
    cluster.apps().start(cluster.store(), this::appChanged);
    cluster.datasets().start(cluster.store(), this::datasetChanged);
    cluster.nodes().start(cluster.store(), this::nodeChanged);
    cluster.migrations().start(cluster.store(), this::migrationChanged);
    this.marathonEvents = cluster.marathon().events(this::marathonEvent, this::marathonReconnected).start();
    // What Mesos says of its agents changes where apps may go, as a Node's spec does.
    this.mesosChanges = cluster.mesos().onChange(() -> vertx.runOnContext(v -> resyncAll()));
    this.resyncTimer = vertx.setPeriodic(settings.resync().toMillis(), t -> resyncAll());
    synced().thenRun(() -> {
      LOG.info("caches hold {} StatefulApps, {} Datasets, {} Nodes, {} Migrations: reconciling",
          cluster.apps().size(), cluster.datasets().size(), cluster.nodes().size(), cluster.migrations().size());
      apps.start();
      migrations.start();
    });
  }

  /** Completes once every cache holds its first list. */
  public CompletableFuture<Void> synced() {
    return CompletableFuture.allOf(cluster.apps().synced(), cluster.datasets().synced(), cluster.nodes().synced(),
        cluster.migrations().synced());
  }

  public WorkQueue appQueue() {
    return apps;
  }

  public WorkQueue migrationQueue() {
    return migrations;
  }

  private void appChanged(Optional<StatefulApp> before, WatchEvent<StatefulApp> event) {
    StatefulApp app = event.object();
    before.ifPresent(b -> {
      ownerByAppId.remove(MarathonApps.appId(b), b.name());
      b.spec().datasetRef().ifPresent(d -> ownerByDataset.remove(d.name(), b.name()));
    });
    if (event.type() != WatchEvent.Type.DELETED) {
      ownerByAppId.put(MarathonApps.appId(app), app.name());
      app.spec().datasetRef().ifPresent(d -> ownerByDataset.put(d.name(), app.name()));
    }
    // A StatefulApp's status is this controller's own output: reconciling again because it wrote
    // one would only delay the next change a user makes.
    boolean onlyStatus = event.type() == WatchEvent.Type.MODIFIED && before.isPresent()
        && sameExceptStatus(before.get(), app);
    if (!onlyStatus) {
      apps.add(app.name());
    }
  }

  private static boolean sameExceptStatus(StatefulApp a, StatefulApp b) {
    return a.metadata().withResourceVersion(0).equals(b.metadata().withResourceVersion(0)) && a.spec().equals(b.spec());
  }

  private void datasetChanged(Optional<Dataset> before, WatchEvent<Dataset> event) {
    // Agents report their copies often: look the app up rather than scan every app.
    Dataset d = event.object();
    String owner = d.metadata().labels().get(StatefulAppReconciler.OWNER_LABEL);
    if (owner != null) {
      apps.add(owner);
    }
    String user = ownerByDataset.get(d.name());
    if (user != null) {
      apps.add(user);
    }
    if (!d.spec().migration().isEmpty()) {
      migrations.add(d.spec().migration());
    }
    before.map(b -> b.spec().migration()).filter(m -> !m.isEmpty()).ifPresent(migrations::add);
  }

  private void nodeChanged(Optional<Node> before, WatchEvent<Node> event) {
    // Agents refresh their Node's status (free space, heartbeat) all the time; only a node
    // coming, going or changing what it offers can change a placement.
    boolean specChanged = before.isEmpty() || event.type() == WatchEvent.Type.DELETED
        || !before.get().spec().equals(event.object().spec());
    if (specChanged) {
      resyncAll();
    }
  }

  private void migrationChanged(Optional<Migration> before, WatchEvent<Migration> event) {
    migrations.add(event.object().name());
    apps.add(event.object().spec().statefulApp());
  }

  private void marathonEvent(MarathonEvent event) {
    event.appId().ifPresent(this::marathonAppChanged);
    event.deploymentApps().forEach(this::marathonAppChanged);
  }

  private void marathonAppChanged(String appId) {
    cluster.marathonCache().invalidate(appId);
    String owner = ownerByAppId.get(appId);
    if (owner == null) {
      return;
    }
    apps.add(owner);
    AppConditions.active(owner, cluster.migrations().indexed(owner)).ifPresent(m -> migrations.add(m.name()));
  }

  private void marathonReconnected() {
    LOG.info("following Marathon's events at {}", cluster.marathon().base());
    cluster.marathonCache().invalidateAll();
    resyncAll();
  }

  private void resyncAll() {
    cluster.apps().list().forEach(a -> apps.add(a.name()));
    cluster.migrations().list().stream().filter(m -> !m.status().phase().isFinished())
        .forEach(m -> migrations.add(m.name()));
  }

  @Override
  public void close() {
    vertx.cancelTimer(resyncTimer);
    etcdRecovery.close();
    mesosChanges.close();
    apps.stop();
    migrations.stop();
    marathonEvents.close();
    cluster.apps().close();
    cluster.datasets().close();
    cluster.nodes().close();
    cluster.migrations().close();
  }
}
