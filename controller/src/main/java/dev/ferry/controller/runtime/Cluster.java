package dev.ferry.controller.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.events.EventRecorder;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.DatasetStatus;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.MigrationStatus;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.NodeSpec;
import dev.ferry.api.model.NodeStatus;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.model.StatefulAppSpec;
import dev.ferry.api.model.StatefulAppStatus;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.controller.cache.ObjectCache;
import dev.ferry.controller.discovery.MesosAgents;
import dev.ferry.controller.marathon.AppSecrets;
import dev.ferry.controller.marathon.MarathonCache;
import dev.ferry.controller.marathon.MarathonClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the reconcilers share while this controller leads: the fenced store (a deposed leader's
 * writes fail), the object caches, Marathon, the event recorder, the clock and the app secrets.
 */
public record Cluster(
    EtcdStore store,
    ObjectCache<StatefulApp, StatefulAppSpec, StatefulAppStatus> apps,
    ObjectCache<Dataset, DatasetSpec, DatasetStatus> datasets,
    ObjectCache<Node, NodeSpec, NodeStatus> nodes,
    ObjectCache<Migration, MigrationSpec, MigrationStatus> migrations,
    MarathonClient marathon,
    MarathonCache marathonCache,
    MesosAgents mesos,
    EventRecorder events,
    Clock clock,
    AppSecrets secrets) {

  /**
   * The nodes placement and migrations work from: the Node registry, seen through the Mesos
   * master's agents when one is configured ({@link MesosAgents#schedulable}). Both reconcilers
   * must see the same nodes, or one would choose a target the other refuses.
   */
  public List<Node> placementNodes() {
    return mesos.schedulable(nodes.list());
  }

  /**
   * Writes the app to Marathon ({@link MarathonClient#putApp}) only while this controller's fence
   * still holds: Marathon cannot take part in an etcd transaction, so the epoch is read
   * linearizably right before the write, and a deposed or paused leader that wakes after a new
   * one advanced the epoch fails with {@code FencedException} and writes nothing. Every Marathon
   * write of a reconciler goes through here or {@link #deleteApp}.
   *
   * <p>The secrets the app's env refers to are read first ({@link AppSecrets#resolve}): Marathon
   * gets their values, and nothing is written when one cannot be read ({@link
   * dev.ferry.controller.marathon.AppSecretException}).
   */
  public Future<String> putApp(String appId, ObjectNode app, boolean force) {
    return secrets.resolve(app).compose(resolved -> onContext(store.checkFence())
        .compose(ok -> marathon.putApp(appId, resolved, force)));
  }

  /** Deletes the app from Marathon, fenced as {@link #putApp} is. */
  public Future<Void> deleteApp(String appId) {
    return onContext(store.checkFence()).compose(ok -> marathon.deleteApp(appId));
  }

  /** A store future as a Vert.x future completing on the caller's context. */
  public static <X> Future<X> onContext(CompletionStage<X> stage) {
    Context context = Vertx.currentContext();
    return context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
  }
}
