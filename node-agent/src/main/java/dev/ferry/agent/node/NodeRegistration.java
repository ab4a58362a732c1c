package dev.ferry.agent.node;

import dev.ferry.agent.zfs.PoolSpace;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.NodeSpec;
import dev.ferry.api.model.NodeStatus;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.store.AlreadyExistsException;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.Subscription;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's {@code Node} object in etcd, attached to a lease the agent keeps alive: the
 * Node vanishes {@code leaseTtl} after the agent dies, which is how the controller learns that a
 * node is gone.
 *
 * <p>Every {@code refreshInterval} it compares the stored Node with what the agent observes
 * (attributes, address, pool size and free bytes, version) and writes only what changed, so a
 * quiet node writes nothing. A Node that vanished while the agent lives (its lease expired during
 * a long partition from etcd, or someone deleted it) is registered again under a new lease; a
 * Node left by an earlier agent of this node (killed before its lease ran out) is replaced.
 */
public final class NodeRegistration {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistration.class);

  private final Vertx vertx;
  private final EtcdStore store;
  private final NodeSpec spec;
  private final String name;
  private final Callable<PoolSpace> poolSpace;
  private final Duration leaseTtl;
  private final Clock clock;
  private long leaseId;
  private Optional<Subscription> keepAlive = Optional.empty();
  private long timer = -1;
  private boolean stopped;
  private Future<Node> inFlight = Future.succeededFuture();

  /**
   * @param poolSpace reads the pool's figures; blocking, run on a worker thread
   */
  public NodeRegistration(Vertx vertx, EtcdStore store, String name, NodeSpec spec, Callable<PoolSpace> poolSpace,
      Duration leaseTtl, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.name = name;
    this.spec = spec;
    this.poolSpace = poolSpace;
    this.leaseTtl = leaseTtl;
    this.clock = clock;
  }

  /** Registers the Node and refreshes it every {@code interval} from then on. */
  public Future<Node> start(Duration interval) {
    return refresh().onSuccess(n -> timer = vertx.setPeriodic(interval.toMillis(), id -> refresh()
        .onFailure(e -> LOG.warn("cannot refresh Node {}: {}", name, e.toString()))));
  }

  /**
   * Makes the stored Node match what this agent observes; registers it when it is missing. A
   * refresh asked for while one runs is that one: two at once could register twice.
   */
  public synchronized Future<Node> refresh() {
    if (stopped) {
      return Future.failedFuture(new IllegalStateException("the registration of " + name + " was stopped"));
    }
    if (!inFlight.isComplete()) {
      return inFlight;
    }
    inFlight = observeAndWrite();
    return inFlight;
  }

  private Future<Node> observeAndWrite() {
    return vertx.executeBlocking(poolSpace, false).compose(space -> await(store.get(Kind.NODE, name))
        .compose(stored -> stored.isPresent() && stored.get().status().leaseId() == leaseId && leaseId != 0
            ? update(stored.get(), space)
            : register(stored, space)));
  }

  private Future<Node> register(Optional<Node> previous, PoolSpace space) {
    Future<Void> cleared = previous.isEmpty() ? Future.succeededFuture()
        // An earlier agent of this node died; its Node would vanish with its lease anyway.
        : await(store.delete(Kind.NODE, name, previous.get().metadata().resourceVersion())).mapEmpty();
    return cleared.compose(v -> await(store.grantLease(leaseTtl))).compose(lease -> {
      Optional<Subscription> old = keepAlive;
      long oldLease = leaseId;
      leaseId = lease;
      keepAlive = Optional.of(store.keepAlive(lease));
      old.ifPresent(Subscription::close);
      if (oldLease != 0) {
        store.revokeLease(oldLease);
      }
      Node node = new Node(ObjectMeta.named(name), spec).withStatus(status(space));
      return await(store.create(node, lease));
    }).onSuccess(n -> LOG.info("registered Node {} ({}:{}, pool {}, attributes {}) under lease {}", name,
        spec.address(), spec.transferPort(), spec.pool(), spec.attributes(), Long.toHexString(leaseId)))
        .recover(e -> e instanceof AlreadyExistsException
            ? Future.failedFuture(new IllegalStateException("another agent registered Node " + name
                + " at the same moment: is a second agent running with nodeName " + name + "?"))
            : Future.failedFuture(e));
  }

  private Future<Node> update(Node stored, PoolSpace space) {
    Future<Node> specWritten = stored.spec().equals(spec) ? Future.succeededFuture(stored)
        : await(store.update(stored.withSpec(spec)));
    return specWritten.compose(node -> {
      NodeStatus s = node.status();
      if (s.poolSizeBytes() == space.sizeBytes() && s.poolFreeBytes() == space.freeBytes()) {
        return Future.succeededFuture(node);
      }
      return await(store.updateStatus(node.withStatus(status(space))));
    });
  }

  private NodeStatus status(PoolSpace space) {
    return new NodeStatus(space.sizeBytes(), space.freeBytes(), leaseId, clock.instant(), List.of());
  }

  /** Stops refreshing and revokes the lease, which deletes the Node at once. */
  public synchronized Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    keepAlive.ifPresent(Subscription::close);
    return leaseId == 0 ? Future.succeededFuture() : await(store.revokeLease(leaseId));
  }

  private static <T> Future<T> await(CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage);
  }
}
