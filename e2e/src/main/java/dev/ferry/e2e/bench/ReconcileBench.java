package dev.ferry.e2e.bench;

import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.process.ManagedProcess;
import dev.ferry.controller.marathon.MarathonEvent;
import dev.ferry.controller.marathon.MarathonEventStream;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./ferry bench reconcile}: the controller at scale, on devcluster with simulated tasks.
 * A thousand StatefulApps without datasets exist when the controller starts; it measures
 *
 * <ul>
 *   <li>the cold start, from the controller's start until every app is Ready;
 *   <li>the latency from an apply through the API to Marathon receiving the app (its
 *       {@code api_post_event}), for one change at a time while the thousand exist, each made
 *       once the one before has settled;
 *   <li>the steady state's writes to Marathon and etcd per minute (the target is none);
 *   <li>the controller process's heap after a full GC.
 * </ul>
 *
 * Options: {@code --apps N} (1000), {@code --changes N} (100), {@code --warmup N} (20 changes not
 * measured, as a long-running cluster's JITs have compiled the path), {@code --steady SECONDS} (60).
 */
public final class ReconcileBench {

  private ReconcileBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> o = options(args);
    int apps = o.get("--apps");
    Path home = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
    Vertx vertx = Vertx.vertx();
    try (BenchCluster cluster = new BenchCluster(home)) {
      System.out.printf("bench reconcile: %d StatefulApps, %d changes after %d warm-up changes, %d s of steady state%n",
          apps, o.get("--changes"), o.get("--warmup"), o.get("--steady"));
      for (int i = 0; i < apps; i++) {
        cluster.store().create(Manifests.readOne(manifest(i, 1), Kind.STATEFUL_APP)).join();
      }
      Map<String, CompletableFuture<Long>> awaited = new ConcurrentHashMap<>();
      AtomicLong marathonWrites = new AtomicLong();
      Map<String, CompletableFuture<Void>> deployed = new ConcurrentHashMap<>();
      MarathonEventStream events = new MarathonEventStream(vertx, () -> URI.create(cluster.marathonUrl()),
          Optional.of(cluster.marathonCredentials), e -> {
        if (e.type().equals("api_post_event")) {
          marathonWrites.incrementAndGet();
          e.appId().map(id -> awaited.get(id + "@" + memOf(e))).ifPresent(f -> f.complete(System.nanoTime()));
        } else if (e.type().equals("deployment_success")) {
          e.deploymentApps().forEach(id -> Optional.ofNullable(deployed.get(id)).ifPresent(f -> f.complete(null)));
        }
      }, () -> { }).start();
      Changes changes = new Changes(cluster, awaited, deployed, apps);

      long start = System.nanoTime();
      ManagedProcess controller = cluster.startController();
      awaitAllReady(cluster, apps, Duration.ofMinutes(15));
      double coldStart = (System.nanoTime() - start) / 1e9;
      System.out.printf("  all %d apps Ready after %.1f s%n", apps, coldStart);

      // Warm-up changes, not measured: the controller's and devcluster's JITs compile the apply
      // path on the first ones, as they would have long since in a running cluster.
      changes.run(o.get("--warmup"), apps / 2);
      List<Double> latencies = changes.run(o.get("--changes"), 0);
      Thread.sleep(5_000);
      long writesBefore = marathonWrites.get();
      long revisionBefore = revision(cluster);
      Thread.sleep(o.get("--steady") * 1000L);
      double minutes = o.get("--steady") / 60.0;
      double marathonPerMin = (marathonWrites.get() - writesBefore) / minutes;
      double etcdPerMin = (revision(cluster) - revisionBefore) / minutes;
      double heap = JavaHeap.mebibytesAfterGc(controller.pid());
      events.close();

      new BenchReport("reconcile")
          .put("apps", apps, "StatefulApps", "")
          .put("coldStartS", coldStart, "cold start until all Ready", "s")
          .put("applyToMarathonP50Ms", BenchReport.percentile(latencies, 50), "apply -> Marathon PUT, p50", "ms")
          .put("applyToMarathonP99Ms", BenchReport.percentile(latencies, 99), "apply -> Marathon PUT, p99", "ms")
          .put("steadyMarathonWritesPerMin", marathonPerMin, "steady state: Marathon writes", "/min")
          .put("steadyEtcdWritesPerMin", etcdPerMin, "steady state: etcd writes", "/min")
          .put("steadyWritesPerMin", marathonPerMin + etcdPerMin, "steady state: all writes", "/min")
          .put("heapMiB", heap, "controller heap after GC", "MiB")
          .write(home);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * One change at a time, as a user makes one: apply a new {@code mem}, time until Marathon
   * receives it, then let the change settle (Marathon's deployment over, the StatefulApp Ready for
   * the new generation) before the next one, so that each is timed in a quiet cluster of a
   * thousand apps rather than on top of the last one's deployment.
   */
  private record Changes(BenchCluster cluster, Map<String, CompletableFuture<Long>> awaited,
      Map<String, CompletableFuture<Void>> deployed, int apps) {

    List<Double> run(int count, int offset) throws Exception {
      List<Double> latencies = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int app = (offset + i * 7919) % apps;
        long mem = 2 + offset + i;
        String id = "/" + name(app);
        CompletableFuture<Long> received = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        awaited.put(id + "@" + mem, received);
        deployed.put(id, done);
        long t0 = System.nanoTime();
        cluster.apply("statefulapps", name(app), manifest(app, mem));
        long applied = System.nanoTime();
        long t1 = received.get(30, TimeUnit.SECONDS);
        if (System.getenv("FERRY_BENCH_TRACE") != null) {
          System.out.printf("  change %d: API answered after %.1f ms, Marathon received after %.1f ms%n", i,
              (applied - t0) / 1e6, (t1 - t0) / 1e6);
        }
        latencies.add((t1 - t0) / 1e6);
        done.get(30, TimeUnit.SECONDS);
        awaitReadyForItsGeneration(name(app));
        deployed.remove(id);
        awaited.remove(id + "@" + mem);
      }
      return latencies;
    }

    private void awaitReadyForItsGeneration(String name) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        StatefulApp app = cluster.store().get(Kind.STATEFUL_APP, name).join().orElseThrow();
        if (ready(app) && app.status().observedGeneration() == app.metadata().generation()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(name + " did not become Ready for generation " + app.metadata().generation());
        }
        Thread.sleep(5);
      }
    }
  }

  private static void awaitAllReady(BenchCluster cluster, int apps, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<StatefulApp> all = cluster.store().list(Kind.STATEFUL_APP, LabelSelector.EVERYTHING).join().items();
      long ready = all.stream().filter(ReconcileBench::ready).count();
      if (ready == apps) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(ready + " of " + apps + " apps Ready after " + timeout);
      }
      Thread.sleep(100);
    }
  }

  private static boolean ready(StatefulApp app) {
    return app.status().conditions().stream().anyMatch(c -> c.type().equals("Ready") && Condition.TRUE.equals(c.status()));
  }

  private static long revision(BenchCluster cluster) {
    return cluster.store().list(Kind.GIT_SOURCE, LabelSelector.EVERYTHING).join().revision();
  }

  private static long memOf(MarathonEvent e) {
    return e.data().path("appDefinition").path("mem").asLong(-1);
  }

  static String name(int i) {
    return String.format("app-%04d", i);
  }

  static String manifest(int i, long mem) {
    return """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: %s, labels: {bench: reconcile}}
        spec:
          app: {cmd: sleep 3600, cpus: 0.01, mem: %d, instances: 1, portDefinitions: []}
        """.formatted(name(i), mem);
  }

  private static Map<String, Integer> options(String[] args) {
    Map<String, Integer> o = new ConcurrentHashMap<>(Map.of("--apps", 1000, "--changes", 100, "--warmup", 20,
        "--steady", 60));
    for (int i = 0; i < args.length; i++) {
      if (!o.containsKey(args[i]) || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "usage: ferry bench reconcile [--apps N] [--changes N] [--warmup N] [--steady SECONDS]");
      }
      o.put(args[i], Integer.parseInt(args[++i]));
    }
    return o;
  }
}
