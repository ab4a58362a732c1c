package dev.ferry.controller.runtime;

import dev.ferry.api.events.EventRecorder;
import dev.ferry.api.model.Kind;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.Fence;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.controller.cache.ObjectCache;
import dev.ferry.controller.leader.Leadership;
import dev.ferry.controller.discovery.MesosAgents;
import dev.ferry.controller.marathon.AppSecrets;
import dev.ferry.controller.marathon.MarathonCache;
import dev.ferry.controller.marathon.MarathonClient;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a controller does while it leads: on gaining leadership it moves the fencing epoch in
 * etcd one up, so that every write of a previous leader fails from then on, and starts the
 * reconcilers with a store fenced by the new epoch; on losing it, it stops them at once.
 */
public final class LeaderDuties implements Leadership.Duties {

  /** The etcd key holding the leader epoch; outside the objects' key space. */
  public static final String FENCE_KEY = "/ferry/leader-epoch";
  /**
   * How often the leader checks the node index again after its first check: an agent of an older
   * version (during a rolling upgrade) writes objects without their entries. A check of an index
   * that is right reads keys and revisions only and writes nothing.
   */
  static final Duration NODE_INDEX_CHECK = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(LeaderDuties.class);

  private final Vertx vertx;
  private final EtcdStore store;
  private final MarathonClient marathon;
  private final MesosAgents mesos;
  private final List<Job> jobs = new CopyOnWriteArrayList<>();
  private final ClusterKey key;
  private final Reconcilers.Settings settings;
  private final Clock clock;
  private final ReconcilerMetrics metrics;
  private long term;
  private Reconcilers running;
  private long repairTimer = -1;
  private final AtomicBoolean repairing = new AtomicBoolean();

  public LeaderDuties(Vertx vertx, EtcdStore store, MarathonClient marathon, ClusterKey key, Reconcilers.Settings settings,
      Clock clock, ReconcilerMetrics metrics) {
    this(vertx, store, marathon, MesosAgents.none(), key, settings, clock, metrics);
  }

  /** @param mesos the Mesos agents, for placement; {@link MesosAgents#none()} without a Mesos master */
  public LeaderDuties(Vertx vertx, EtcdStore store, MarathonClient marathon, MesosAgents mesos, ClusterKey key,
      Reconcilers.Settings settings, Clock clock, ReconcilerMetrics metrics) {
    this.vertx = vertx;
    this.mesos = mesos;
    this.store = store;
    this.marathon = marathon;
    this.key = key;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Other work that runs only while this controller leads (GitOps), writing through the
   * leader's fenced store. Started after the reconcilers, stopped after them.
   */
  public interface Job {
    void start(EtcdStore fenced);

    void stop();
  }

  /** Adds {@code job} to what leading means; call before leadership starts. */
  public LeaderDuties also(Job job) {
    jobs.add(job);
    return this;
  }

  @Override
  public synchronized void lead() {
    takeEpoch(++term);
  }

  /** Takes the leader epoch for {@code mine}, trying again every second while etcd does not answer. */
  private void takeEpoch(long mine) {
    store.advanceFence(FENCE_KEY).whenComplete((fence, error) -> {
      if (error == null) {
        start(mine, fence);
        return;
      }
      synchronized (this) {
        if (mine != term) {
          return;
        }
      }
      LOG.error("could not take the leader epoch in etcd, trying again in 1 s: {}", error.getMessage());
      vertx.setTimer(1000, t -> takeEpoch(mine));
    });
  }

  private synchronized void start(long mine, Fence fence) {
    if (mine != term || running != null) {
      return;
    }
    LOG.info("leading with epoch {}", fence.value());
    EtcdStore fenced = store.fenced(fence);
    Cluster cluster = new Cluster(fenced, new ObjectCache<>(Kind.STATEFUL_APP), new ObjectCache<>(Kind.DATASET),
        new ObjectCache<>(Kind.NODE), new ObjectCache<>(Kind.MIGRATION, m -> m.spec().statefulApp()), marathon,
        new MarathonCache(marathon, Duration.ofMinutes(10)), mesos, new EventRecorder(fenced, "controller", clock), clock,
        new AppSecrets(vertx, settings.secretsDir()));
    running = new Reconcilers(vertx, cluster, key, settings, metrics);
    jobs.forEach(job -> job.start(fenced));
    repairNodeIndex(fenced);
    repairTimer = vertx.setPeriodic(NODE_INDEX_CHECK.toMillis(), id -> repairNodeIndex(fenced));
  }

  /**
   * The node index the agents watch is written with every object, but objects written before it
   * existed (an upgrade) or by a writer of an older version have no entries, or stale ones: the
   * leader mends them when it starts and every {@link #NODE_INDEX_CHECK}, beside the reconcilers
   * (each mend is its own compare-and-swap); one check at a time.
   */
  private void repairNodeIndex(EtcdStore fenced) {
    if (!repairing.compareAndSet(false, true)) {
      return;
    }
    fenced.repairNodeIndex().whenComplete((repaired, error) -> {
      repairing.set(false);
      if (error != null) {
        LOG.error("could not repair the node index; agents may miss objects written without it: {}",
            error.getMessage());
      } else if (repaired > 0) {
        LOG.info("node index: {} object(s) repaired", repaired);
      }
    });
  }

  @Override
  public synchronized void stopLeading() {
    term++;
    if (repairTimer >= 0) {
      vertx.cancelTimer(repairTimer);
      repairTimer = -1;
    }
    // The reconcilers first: they stop at once, while a job may finish what it is doing.
    if (running != null) {
      running.close();
      running = null;
    }
    jobs.forEach(Job::stop);
  }

  /** The reconcilers, while this controller leads and they run. */
  public synchronized Optional<Reconcilers> running() {
    return Optional.ofNullable(running);
  }
}
