package dev.ferry.e2e.bench;

import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.Condition;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.process.Command;
import dev.ferry.api.process.ManagedProcess;
import dev.ferry.controller.marathon.MarathonEvent;
import dev.ferry.controller.marathon.MarathonEventStream;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./ferry bench reconcile}: the controller at scale, on devcluster with simulated tasks.
 * A thousand StatefulApps without datasets exist when the controller starts (with {@code
 * --datasets}, that many of them have a real dataset on the zfs-fuse pools of two real node
 * agents, and the rest none); it measures
 *
 * <ul>
 *   <li>the cold start, from the controller's start until every app is Ready;
 *   <li>the latency from an apply through the API to Marathon receiving the app (its
 *       {@code api_post_event}), for one change at a time while the thousand exist, each made
 *       once the one before has settled;
 *   <li>the steady state's writes to Marathon and etcd per minute (the target is none), etcd's
 *       from its own revision, Marathon's from its event stream;
 *   <li>with datasets, each agent's {@code zfs} launches per minute in the steady state (its
 *       {@code ferry_agent_zfs_launches_total}), the Dataset and Migration events its watch delivered
 *       since it started and in the steady state ({@code ferry_agent_watch_events_total}), and its
 *       heap after a full GC;
 *   <li>the controller process's heap after a full GC, and every process's CPU in the steady state
 *       (from {@code /proc}, in % of one core);
 *   <li>a verdict against issue 15's targets.
 * </ul>
 *
 * Options: {@code --apps N} (1000), {@code --datasets [N]} (none; alone 200), {@code --changes N}
 * (100), {@code --warmup N} (20 changes not measured, as a long-running cluster's JITs have
 * compiled the path), {@code --steady SECONDS} (60).
 */
public final class ReconcileBench {

  private ReconcileBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> o = options(args);
    int apps = o.get("--apps");
    int datasets = Math.min(o.get("--datasets"), apps);
    Path home = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
    Vertx vertx = Vertx.vertx();
    try (BenchCluster cluster = new BenchCluster(home)) {
      System.out.printf("bench reconcile: %d StatefulApps (%d with a dataset), %d changes after %d warm-up changes,"
          + " %d s of steady state%n", apps, datasets, o.get("--changes"), o.get("--warmup"), o.get("--steady"));
      List<BenchCluster.BenchAgent> agents = datasets > 0
          ? cluster.startAgents(Math.max(2L << 30, datasets * (64L << 20))) : List.of();
      for (int i = 0; i < apps; i++) {
        cluster.store().create(Manifests.readOne(manifest(i, 1, i < datasets), Kind.STATEFUL_APP)).join();
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
      Changes changes = new Changes(cluster, awaited, deployed, apps, datasets);

      long start = System.nanoTime();
      ManagedProcess controller = cluster.startController();
      awaitAllReady(cluster, apps, Duration.ofMinutes(15));
      double coldStart = (System.nanoTime() - start) / 1e9;
      System.out.printf("  all %d apps Ready after %.1f s%n", apps, coldStart);
      long realDatasets = countRealDatasets(cluster, agents);
      if (datasets > 0) {
        System.out.printf("  %d real datasets on the zfs-fuse pools of %d agents (%d asked for)%n", realDatasets,
            agents.size(), datasets);
      }

      // Warm-up changes, not measured: the controller's and devcluster's JITs compile the apply
      // path on the first ones, as they would have long since in a running cluster.
      changes.run(o.get("--warmup"), apps / 2);
      List<Double> latencies = changes.run(o.get("--changes"), 0);
      // Let the last change's writes end; with agents, also their first look at what was created.
      Thread.sleep(datasets > 0 ? 35_000 : 5_000);
      Map<String, ManagedProcess> processes = new LinkedHashMap<>();
      processes.put("controller", controller);
      agents.forEach(a -> processes.put("agent-" + a.node(), a.process()));
      processes.put("etcd", cluster.etcdProcess());
      processes.put("devcluster", cluster.marathonProcess());
      Map<String, Double> cpuBefore = cpuSeconds(processes);
      Map<String, Double> launchesBefore = launches(agents);
      Map<String, Double> watchEventsBefore = agentCounter(agents, WATCH_EVENTS);
      long writesBefore = marathonWrites.get();
      long revisionBefore = revision(cluster);
      long steadyStart = System.nanoTime();
      Thread.sleep(o.get("--steady") * 1000L);
      double seconds = (System.nanoTime() - steadyStart) / 1e9;
      double minutes = seconds / 60.0;
      double marathonPerMin = (marathonWrites.get() - writesBefore) / minutes;
      double etcdPerMin = (revision(cluster) - revisionBefore) / minutes;
      Map<String, Double> launchesPerMin = new TreeMap<>();
      launches(agents).forEach((node, n) -> launchesPerMin.put(node, (n - launchesBefore.get(node)) / minutes));
      Map<String, Double> watchEvents = agentCounter(agents, WATCH_EVENTS);
      Map<String, Double> watchEventsPerMin = new TreeMap<>();
      watchEvents.forEach((node, n) -> watchEventsPerMin.put(node, (n - watchEventsBefore.get(node)) / minutes));
      Map<String, Double> idleCpu = new LinkedHashMap<>();
      cpuSeconds(processes).forEach((name, cpu) -> idleCpu.put(name, 100 * (cpu - cpuBefore.get(name)) / seconds));
      double heap = JavaHeap.mebibytesAfterGc(controller.pid());
      Map<String, Double> agentHeaps = new TreeMap<>();
      for (BenchCluster.BenchAgent a : agents) {
        agentHeaps.put(a.node(), JavaHeap.mebibytesAfterGc(a.process().pid()));
      }
      events.close();
      double p99 = BenchReport.percentile(latencies, 99);

      List<String> missed = new ArrayList<>();
      if (p99 > 20) {
        missed.add(String.format("apply->Marathon p99 %.1f ms > 20 ms", p99));
      }
      if (marathonPerMin + etcdPerMin > 0) {
        missed.add(String.format("steady writes %.1f/min > 0", marathonPerMin + etcdPerMin));
      }
      agents.forEach(a -> {
        double cpu = idleCpu.get("agent-" + a.node());
        if (cpu > 2) {
          missed.add(String.format("agent %s idle CPU %.2f%% > 2%%", a.node(), cpu));
        }
      });
      if (heap > 256) {
        missed.add(String.format("controller heap %.0f MiB > 256 MiB", heap));
      }
      if (coldStart > 60) {
        missed.add(String.format("cold start %.1f s > 60 s", coldStart));
      }
      String scale = apps >= 10_000 && realDatasets >= 200 ? ""
          : " (a smaller run: the targets are for 10,000 apps with at least 200 datasets)";
      String verdict = (missed.isEmpty() ? "meets the targets" : "misses: " + String.join("; ", missed)) + scale;

      new BenchReport("reconcile")
          .put("apps", apps, "StatefulApps", "")
          .put("datasets", realDatasets, "real datasets (mounted on an agent's pool)", "")
          .put("coldStartS", coldStart, "cold start until all Ready", "s")
          .put("applyToMarathonP50Ms", BenchReport.percentile(latencies, 50), "apply -> Marathon PUT, p50", "ms")
          .put("applyToMarathonP99Ms", BenchReport.percentile(latencies, 99), "apply -> Marathon PUT, p99", "ms")
          .put("steadyMarathonWritesPerMin", marathonPerMin, "steady state: Marathon writes", "/min")
          .put("steadyEtcdWritesPerMin", etcdPerMin, "steady state: etcd writes", "/min")
          .put("steadyWritesPerMin", marathonPerMin + etcdPerMin, "steady state: all writes", "/min")
          .put("zfsLaunchesPerMin", launchesPerMin, "steady state: zfs launches per agent", "/min")
          .put("agentWatchEvents", watchEvents, "watch events an agent received, since its start", "")
          .put("agentWatchEventsPerMin", watchEventsPerMin, "steady state: watch events per agent", "/min")
          .put("heapMiB", heap, "controller heap after GC", "MiB")
          .put("agentHeapMiB", agentHeaps, "agent heap after GC", "MiB")
          .put("idleCpuPercent", idleCpu, "steady state: CPU", "% of a core")
          .put("verdict", verdict, "verdict (issue 15's targets)")
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
      Map<String, CompletableFuture<Void>> deployed, int apps, int datasets) {

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
        cluster.apply("statefulapps", name(app), manifest(app, mem, app < datasets));
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

  /** Datasets with a mounted copy in their status that is also on its agent's pool. */
  private static long countRealDatasets(BenchCluster cluster, List<BenchCluster.BenchAgent> agents) {
    if (agents.isEmpty()) {
      return 0;
    }
    Set<String> onPools = new HashSet<>();
    for (BenchCluster.BenchAgent a : agents) {
      Command list = Command.run("zfs", "list", "-H", "-o", "name", "-r", a.pool() + "/ferry").orThrow();
      list.stdout().lines().map(l -> l.substring(l.lastIndexOf('/') + 1)).forEach(onPools::add);
    }
    return cluster.store().list(Kind.DATASET, LabelSelector.EVERYTHING).join().items().stream()
        .filter(d -> d.status().copies().values().stream().anyMatch(DatasetCopy::mounted))
        .filter(d -> onPools.contains(d.name())).count();
  }

  private static Map<String, Double> cpuSeconds(Map<String, ManagedProcess> processes) throws IOException {
    Map<String, Double> cpu = new LinkedHashMap<>();
    for (Map.Entry<String, ManagedProcess> p : processes.entrySet()) {
      cpu.put(p.getKey(), ProcessCpu.seconds(p.getValue().pid()));
    }
    return cpu;
  }

  /** Each agent's own count of the zfs processes it started. */
  private static Map<String, Double> launches(List<BenchCluster.BenchAgent> agents) throws Exception {
    return agentCounter(agents, "ferry_agent_zfs_launches_total");
  }

  /** The Dataset and Migration events an agent's watch delivered: what the other nodes' objects cost it. */
  private static final String WATCH_EVENTS = "ferry_agent_watch_events_total";

  /** One counter of each agent's {@code /metrics}, by node. */
  private static Map<String, Double> agentCounter(List<BenchCluster.BenchAgent> agents, String metric) throws Exception {
    Map<String, Double> values = new TreeMap<>();
    for (BenchCluster.BenchAgent a : agents) {
      values.put(a.node(), BenchCluster.scrape(a.metricsUrl(), metric));
    }
    return values;
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

  /** App {@code i}; with a dataset of its own (16 MiB) when {@code withDataset}, even ones on node1, odd on node2. */
  static String manifest(int i, long mem, boolean withDataset) {
    return """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: %s, labels: {bench: reconcile}}
        spec:
          app: {cmd: sleep 3600, cpus: 0.01, mem: %d, instances: 1, portDefinitions: []}
        """.formatted(name(i), mem)
        + (withDataset ? "  dataset: {name: data-%04d, size: 16Mi, mountPath: /data}\n".formatted(i)
            // Half on each node, so that each agent has datasets of its own and the other's to ignore.
            + "  placement: {constraints: [[disk, LIKE, %s]]}\n".formatted(i % 2 == 0 ? "spinning" : "ssd") : "");
  }

  /** The datasets {@code --datasets} alone asks for: issue 15's least. */
  static final int DEFAULT_DATASETS = 200;

  private static Map<String, Integer> options(String[] args) {
    Map<String, Integer> o = new ConcurrentHashMap<>(Map.of("--apps", 1000, "--changes", 100, "--warmup", 20,
        "--steady", 60, "--datasets", 0));
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--datasets") && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
        o.put("--datasets", DEFAULT_DATASETS);
        continue;
      }
      if (!o.containsKey(args[i]) || i + 1 >= args.length || !args[i + 1].matches("[0-9]+")) {
        throw new IllegalArgumentException("usage: ferry bench reconcile [--apps N] [--datasets [N]] [--changes N]"
            + " [--warmup N] [--steady SECONDS]" + (i < args.length ? " (at '" + args[i] + "')" : ""));
      }
      o.put(args[i], Integer.parseInt(args[++i]));
    }
    return o;
  }
}
