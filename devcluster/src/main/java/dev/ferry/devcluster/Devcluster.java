package dev.ferry.devcluster;

import dev.ferry.devcluster.events.EventBus;
import dev.ferry.devcluster.marathon.MarathonServer;
import dev.ferry.devcluster.scheduler.Scheduler;
import dev.ferry.devcluster.tasks.ProcessRunner;
import dev.ferry.devcluster.tasks.SimulatedRunner;
import dev.ferry.devcluster.tasks.TaskRunner;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * The one-machine cluster: a scheduler and its Marathon API on one Vert.x context. {@link #stop()}
 * stops every task it started before it completes.
 */
public final class Devcluster {

  private final Vertx vertx;
  private final DevclusterConfig config;
  private final Context context;
  private Scheduler scheduler;
  private MarathonServer server;
  private int port;

  private Devcluster(Vertx vertx, DevclusterConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.context = vertx.getOrCreateContext();
  }

  /** Starts devcluster; the future gives it once the API answers. */
  public static Future<Devcluster> start(Vertx vertx, DevclusterConfig config) {
    Devcluster cluster = new Devcluster(vertx, config);
    Promise<Devcluster> started = Promise.promise();
    cluster.context.runOnContext(v -> cluster.boot().map(cluster).onComplete(started));
    return started.future();
  }

  private record Boot(String clusterId, List<String> localAddresses) {}

  private Future<Void> boot() {
    return vertx.executeBlocking(() -> new Boot(SchedulerIds.clusterId(config.stateDir()), localAddresses()), false)
        .compose(boot -> {
          TaskRunner runner = config.simulateTasks() ? new SimulatedRunner() : new ProcessRunner(vertx);
          scheduler = new Scheduler(vertx, boot.clusterId(), config.nodes(), runner, new EventBus(), config.stateDir());
          server = new MarathonServer(vertx, scheduler, config.access());
          return server.listen(config.host(), config.port(), boot.localAddresses());
        }).compose(actual -> {
          port = actual;
          return scheduler.start();
        });
  }

  /** This machine's addresses, which clients may name when the API listens on all of them. */
  private static List<String> localAddresses() throws SocketException {
    List<String> addresses = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      Collections.list(nic.getInetAddresses()).forEach(a -> addresses.add(a.getHostAddress()));
    }
    return addresses;
  }

  /** The port the API listens on (the configured one, or the one picked for port 0). */
  public int port() {
    return port;
  }

  public String url() {
    return "http://" + config.host() + ":" + port;
  }

  /** Stops the API and every task, and writes the state. */
  public Future<Void> stop() {
    Promise<Void> stopped = Promise.promise();
    context.runOnContext(v -> server.close().transform(x -> scheduler.stop()).onComplete(stopped));
    return stopped.future();
  }

  /** The cluster id, kept in the state dir so slave ids stay the same across restarts. */
  static final class SchedulerIds {
    private SchedulerIds() {}

    static String clusterId(java.nio.file.Path stateDir) throws IOException {
      java.nio.file.Path file = stateDir.resolve("cluster-id");
      if (java.nio.file.Files.exists(file)) {
        return java.nio.file.Files.readString(file).trim();
      }
      java.nio.file.Files.createDirectories(stateDir);
      String id = UUID.randomUUID().toString();
      java.nio.file.Files.writeString(file, id);
      return id;
    }
  }
}
