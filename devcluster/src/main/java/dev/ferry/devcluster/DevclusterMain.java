package dev.ferry.devcluster;

import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java dev.ferry.devcluster.DevclusterMain [options]}: runs devcluster until SIGTERM or
 * SIGINT, then stops every task it started before exiting. Exit status 2 for bad options, 1 when
 * it cannot start (e.g. the port is taken).
 */
public final class DevclusterMain {

  private DevclusterMain() {}

  public static void main(String[] args) throws InterruptedException {
    DevclusterConfig config;
    try {
      config = DevclusterConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("devcluster: " + e.getMessage());
      System.err.print(DevclusterConfig.USAGE);
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    Devcluster cluster;
    try {
      cluster = Devcluster.start(vertx, config).toCompletionStage().toCompletableFuture().join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println("devcluster: " + cause.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    System.out.println("devcluster: Marathon API on " + cluster.url() + ", nodes "
        + config.nodes().stream().map(n -> n.name() + "@" + n.address()).toList()
        + (config.access().credentials().isPresent() ? ", basic authentication" : ", NO AUTHENTICATION (--insecure-no-auth)")
        + (config.simulateTasks() ? ", tasks SIMULATED (--simulate-tasks)" : ""));
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        cluster.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("devcluster: stopping: " + e.getMessage());
      }
      vertx.close();
      done.countDown();
    }, "devcluster-shutdown"));
    done.await();
  }
}
