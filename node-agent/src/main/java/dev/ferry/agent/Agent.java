package dev.ferry.agent;

import dev.ferry.agent.config.AgentConfig;
import dev.ferry.agent.dataset.CopyReporter;
import dev.ferry.agent.dataset.DatasetKeeper;
import dev.ferry.agent.dataset.NodeDatasets;
import dev.ferry.agent.metrics.AgentProbes;
import dev.ferry.agent.metrics.TransferBytes;
import dev.ferry.agent.migration.SourceMigrations;
import dev.ferry.agent.node.NodeRegistration;
import dev.ferry.agent.transfer.TicketVerifier;
import dev.ferry.agent.transfer.TransferCap;
import dev.ferry.agent.transfer.TransferClient;
import dev.ferry.agent.transfer.TransferReceiver;
import dev.ferry.agent.transfer.TransferServer;
import dev.ferry.agent.transfer.UsedNonces;
import dev.ferry.api.transfer.AgentRequest;
import java.io.UncheckedIOException;
import dev.ferry.agent.watch.ClusterView;
import dev.ferry.agent.work.WorkLoop;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.api.events.EventRecorder;
import dev.ferry.api.metrics.PrometheusMetrics;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.NodeSpec;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.transfer.ClusterKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node agent: the transfer server on the node's address, the Node registration, the
 * Dataset and Migration watches and the two work loops that act on them. {@link #start} brings it
 * up in an order where each part finds what it needs; {@link #stop} takes it down in reverse.
 */
public final class Agent {

  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  private final Vertx vertx;
  private final AgentConfig config;
  private final ClusterView view = new ClusterView();
  private final WorkLoop datasets;
  private final TransferServer server;
  private final TransferClient client;
  private final NodeRegistration registration;
  private final DatasetKeeper keeper;
  private final SourceMigrations sources;
  private final WorkLoop migrations;
  private final NodeDatasets mine;
  private final AtomicBoolean resyncing = new AtomicBoolean();
  private long resyncTimer = -1;
  private final PrometheusMetrics metrics = new PrometheusMetrics();
  private final Counter resyncPasses;
  /** From the Node's registration until stop: what {@code /readyz} reports. */
  private final AtomicBoolean ready = new AtomicBoolean();

  private Agent(Vertx vertx, AgentConfig config, EtcdStore store, ZfsDriver zfs, ClusterKey key, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    String node = config.nodeName();
    this.datasets = new WorkLoop(vertx, "dataset", this::reconcileDataset, MIN_BACKOFF, MAX_BACKOFF);
    TransferReceiver receiver = new TransferReceiver(zfs, this::primaryHere, d -> datasets.enqueue(d.value()));
    TransferBytes counted = TransferBytes.register(metrics.registry());
    AgentRequest auth = new AgentRequest(key, node, clock);
    this.server = new TransferServer(vertx, auth, new TicketVerifier(key, node, clock, usedNonces(config, clock)),
        receiver, progress -> LOG.debug("receiving {}", progress), counted, new AgentProbes(metrics, ready::get),
        config.maxConcurrentReceives());
    this.client = new TransferClient(vertx, zfs, config.address(), counted, config.tls(), key, auth,
        TransferCap.bytesPerSecond(config.transferMaxBytesPerSecond().bytes()));
    this.registration = new NodeRegistration(vertx, store, node, nodeSpec(config), zfs::poolSpace,
        config.leaseTtl(), clock);
    EventRecorder events = new EventRecorder(store, "node-agent/" + node, clock);
    this.keeper = new DatasetKeeper(vertx, zfs, view, new CopyReporter(store, node, clock, config.usage()), node,
        server::receiving, clock, events);
    this.mine = new NodeDatasets(zfs, view, node, config.usage(), clock);
    // What the steady state costs, counted where it happens: every zfs process and every periodic look.
    FunctionCounter.builder("ferry_agent_zfs_launches", zfs, ZfsDriver::launches)
        .description("zfs and zpool processes the agent started").register(metrics.registry());
    FunctionCounter.builder("ferry_agent_watch_events", view, ClusterView::eventsReceived)
        .description("Dataset and Migration events the agent's etcd watch delivered").register(metrics.registry());
    this.resyncPasses = Counter.builder("ferry_agent_resync_passes")
        .description("periodic looks at the node's pool and datasets").register(metrics.registry());
    this.sources = new SourceMigrations(vertx, store, zfs, client, key, view, node, clock, datasets::enqueue, events);
    this.migrations = new WorkLoop(vertx, "migration", sources::reconcile, MIN_BACKOFF, MAX_BACKOFF);
  }

  /**
   * Starts an agent: the transfer server first (the Node advertises it), then the watches, then
   * the Node registration.
   *
   * @param zfs a driver for the configured pool, checked to exist
   * @return fails when the transfer port cannot be bound or etcd refuses the registration
   */
  public static Future<Agent> start(Vertx vertx, AgentConfig config, EtcdStore store, ZfsDriver zfs, ClusterKey key,
      Clock clock) {
    Agent agent;
    try {
      agent = new Agent(vertx, config, store, zfs, key, clock);
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
    return agent.server.listen(config.address(), config.transferPort(), config.tls())
        .recover(e -> Future.failedFuture(new IllegalStateException("cannot serve transfers on " + config.address()
            + ":" + config.transferPort() + " (transferPort, FERRY_TRANSFER_PORT): " + e.getMessage(), e)))
        .compose(port -> {
          agent.view.watch(store, config.nodeName(), agent::datasetChanged, agent::migrationChanged);
          agent.resyncTimer = vertx.setPeriodic(config.resyncInterval().toMillis(), id -> agent.resync());
          return agent.registration.start(config.refreshInterval());
        })
        .map(node -> {
          agent.ready.set(true);
          LOG.info("agent of node {} ready: transfers on {}:{} ({}, outgoing cap {}), pool {}, datasets under {}",
              config.nodeName(), config.address(), config.transferPort(),
              config.tls().isPresent() ? "mutual TLS" : "plain HTTP", agent.client.cap(), config.layout().pool(),
              config.layout().datasetRoot());
          return agent;
        })
        .recover(e -> agent.stop().transform(ar -> Future.failedFuture(e)));
  }

  private static UsedNonces usedNonces(AgentConfig config, Clock clock) {
    try {
      return UsedNonces.open(config.stateDir(), clock);
    } catch (UncheckedIOException e) {
      throw new IllegalStateException("stateDir " + config.stateDir() + " (FERRY_STATE_DIR): " + e.getMessage(), e);
    }
  }

  private Future<Void> reconcileDataset(String name) {
    return keeper.reconcile(name)
        .onFailure(e -> mine.forget(name))
        .map(looked -> {
          if (!looked) {
            mine.forget(name);
          }
          return null;
        });
  }

  private boolean primaryHere(DatasetName dataset) {
    return view.dataset(dataset.value()).map(d -> d.spec().primary().equals(config.nodeName())).orElse(false);
  }

  /** The view tells the dataset's loop itself when a migration's ownership of the dataset changed. */
  private void migrationChanged(Migration migration) {
    migrations.enqueue(migration.name());
  }

  /** Another node's dataset is not this agent's business: it costs no zfs command and no etcd read. */
  private void datasetChanged(String name) {
    if (mine.concerns(name)) {
      datasets.enqueue(name);
    }
  }

  /**
   * Looks again at what may have changed unseen (events can be missed, ZFS can change behind the
   * agent's back): one listing of the pool, then only this node's datasets that changed since the
   * last look ({@link NodeDatasets#pass}). A pass still running when the next is due is not doubled.
   */
  private void resync() {
    view.migrations().stream().filter(sources::concerns).forEach(m -> migrations.enqueue(m.name()));
    if (!resyncing.compareAndSet(false, true)) {
      return;
    }
    vertx.executeBlocking(mine::pass, false)
        .onSuccess(changed -> changed.forEach(datasets::enqueue))
        .onFailure(e -> LOG.warn("cannot list the copies of pool {}: {}", config.layout().pool(), e.toString()))
        .onComplete(ar -> {
          resyncPasses.increment();
          resyncing.set(false);
        });
  }

  private static NodeSpec nodeSpec(AgentConfig config) {
    return new NodeSpec(config.hostname(), config.address(), config.transferPort(), config.attributes(),
        config.layout().pool(), config.layout().datasetRoot().toString(), AgentVersion.current());
  }

  /**
   * Stops the agent: no new work, outgoing streams cut (their rounds stay {@code Running} for the
   * next agent), the transfer server closed, the lease revoked (the Node disappears at once).
   * The store is the caller's to close.
   */
  public Future<Void> stop() {
    ready.set(false);
    if (resyncTimer >= 0) {
      vertx.cancelTimer(resyncTimer);
    }
    sources.stop();
    datasets.close();
    migrations.close();
    view.close();
    return Future.join(client.close(), server.close())
        .transform(ar -> registration.stop())
        .onComplete(ar -> {
          metrics.close();
          LOG.info("agent of node {} stopped", config.nodeName());
        });
  }
}
