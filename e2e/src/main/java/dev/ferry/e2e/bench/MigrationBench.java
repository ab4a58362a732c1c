package dev.ferry.e2e.bench;

import dev.ferry.e2e.cluster.RandomFile;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Dataset;
import dev.ferry.e2e.cluster.FerryUpCluster;
import dev.ferry.e2e.cluster.RedisManifest;
import dev.ferry.e2e.cluster.WriteLoad;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationStrategy;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.process.Command;
import dev.ferry.api.store.EtcdStore;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code ./ferry bench migration}: the cut-over downtime of a real move, against the dataset's
 * size. On its own {@code ./ferry up} cluster it runs, for each size and strategy, the demo's
 * Redis ({@code manifests/todomvc/db.yaml}: appendonly, appendfsync always) with a placement both
 * nodes satisfy, fills its dataset with a file of random (incompressible) bytes beside Redis's own
 * files, keeps a client writing to it ({@link WriteLoad}), and asks for Migrations directly,
 * node1 to node2 and back. Per migration it records the client's downtime, the controller's and
 * its split by phase ({@link MigrationRun}); after the runs it reads every acknowledged key back.
 * The first move of each app is a full copy; the moves after it send only the difference to the
 * copy the target kept, whatever the strategy. The table and the verdict go to the terminal,
 * {@code target/bench/migration.json} and {@code migration.png} to disk ({@link MigrationReport}),
 * the cluster's logs to {@code target/bench/migration-logs/}.
 *
 * <p>Exit status: 0 when every target the runs can tell about was met, 1 when one was missed or
 * the benchmark failed, 2 for bad options. The cluster is stopped whatever happens.
 */
public final class MigrationBench {

  private static final Duration MIGRATION_TIMEOUT = Duration.ofMinutes(30);
  private static final Duration SETTLE = Duration.ofSeconds(2);

  private final MigrationBenchOptions options;
  private final Path home;
  private final FerryUpCluster cluster;
  private final EtcdStore store;
  private final MigrationTrace trace;
  private final Vertx vertx;
  private final List<MigrationRun> runs = new ArrayList<>();

  private MigrationBench(MigrationBenchOptions options, Path home, FerryUpCluster cluster, EtcdStore store, Vertx vertx) {
    this.options = options;
    this.home = home;
    this.cluster = cluster;
    this.store = store;
    this.vertx = vertx;
    this.trace = new MigrationTrace(store);
  }

  public static void main(String[] args) {
    MigrationBenchOptions options;
    try {
      options = MigrationBenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench migration: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      MigrationReport report = run(options, home(), home().resolve("target").resolve("bench"));
      System.exit(report.met() ? 0 : 1);
    } catch (Exception e) {
      System.err.println("bench migration FAILED: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  static Path home() {
    return Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
  }

  /** Runs the benchmark, prints its table and verdict, writes migration.json and migration.png to {@code out}. */
  static MigrationReport run(MigrationBenchOptions options, Path home, Path out) throws Exception {
    System.setProperty("java.awt.headless", "true");
    System.out.printf("bench migration: sizes %s, %d runs each of %s, %d writes/s%n",
        options.sizes().stream().map(Quantity::text).toList(), options.runs(), options.strategies(), options.writeRate());
    FerryUpCluster cluster = FerryUpCluster.up(home, poolSize(options));
    Vertx vertx = Vertx.vertx();
    try (EtcdStore store = EtcdStore.connect(cluster.etcd())) {
      MigrationBench bench = new MigrationBench(options, home, cluster, store, vertx);
      try {
        for (Quantity size : options.sizes()) {
          for (MigrationStrategy strategy : options.strategies()) {
            bench.measure(size, strategy);
          }
        }
      } finally {
        bench.trace.close();
      }
      MigrationReport report = new MigrationReport(options, bench.runs);
      System.out.println();
      System.out.print(report.table());
      System.out.println();
      System.out.println("verdict (targets of the sub-second cut-over):");
      report.verdicts().forEach(v -> System.out.println(v.line()));
      System.out.println(report.met() ? "ALL TARGETS MET" : "TARGETS MISSED");
      report.write(out, machine());
      System.out.println("written to " + out.resolve("migration.json") + " and " + out.resolve("migration.png"));
      return report;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      cluster.close(out.resolve("migration-logs"));
      System.out.println("the cluster's logs: " + out.resolve("migration-logs"));
    }
  }

  /**
   * Every dataset of the benchmark fits on each node at once, with room for snapshots: deleted
   * datasets need not be gone before the next is made.
   */
  static Quantity poolSize(MigrationBenchOptions options) {
    long bytes = options.sizes().stream().mapToLong(q -> quota(q).bytes()).sum() * options.strategies().size()
        + (512L << 20);
    return Quantity.mebibytes(Math.max(1024, (bytes >> 20) + 1));
  }

  /** The dataset's refquota: the fill, plus room for Redis's append-only file. */
  static Quantity quota(Quantity fill) {
    return Quantity.mebibytes((fill.bytes() >> 20) + Math.max(64, (fill.bytes() >> 20) / 4));
  }

  /**
   * All runs of one size and strategy: a new app (so that its first move is a full copy), its
   * fill, the load, the migrations, the read-back, the app and its dataset deleted.
   */
  private void measure(Quantity size, MigrationStrategy strategy) throws Exception {
    String name = "bench-" + size.text().toLowerCase(Locale.ROOT) + "-" + strategy.name().toLowerCase(Locale.ROOT);
    String dataset = name + "-data";
    System.out.printf("%n== %s %s: Redis %s on a dataset filled with %s of random bytes%n", size.text(), strategy, name,
        size.text());
    cluster.apply("statefulapps", name, manifest(home, name, dataset, quota(size)));
    String node = await("dataset " + dataset + " mounted writable", Duration.ofMinutes(5), () -> primaryMounted(dataset));
    awaitHealthy("/" + name, Duration.ofMinutes(5));
    fill(node, dataset, size);
    int first = runs.size();
    try (WriteLoad load = new WriteLoad(vertx, URI.create(cluster.marathonUrl()), cluster.marathonCredentials(), "/" + name, options.writeRate())) {
      load.countFor(first);
      load.start();
      await("the client's first acknowledged write", Duration.ofMinutes(2), () -> load.acks().isEmpty() ? Optional.empty()
          : Optional.of(true));
      for (int i = 0; i < options.runs(); i++) {
        load.countFor(runs.size());
        runs.add(migrate(load, name, dataset, size, strategy));
        Thread.sleep(SETTLE.toMillis());
      }
      load.stop();
      readBack(load, first);
    }
    cluster.delete("statefulapps", name);
  }

  private MigrationRun migrate(WriteLoad load, String app, String dataset, Quantity size, MigrationStrategy strategy)
      throws Exception {
    String from = store.get(Kind.DATASET, dataset).join().orElseThrow().spec().primary();
    String to = from.equals("node1") ? "node2" : "node1";
    String name = app + "-" + runs.size();
    long startNanos = System.nanoTime();
    cluster.apply("migrations", name, """
        apiVersion: ferry/v1
        kind: Migration
        metadata: {name: %s, labels: {bench: migration}}
        spec: {statefulApp: %s, dataset: %s, from: %s, to: %s, strategy: %s}
        """.formatted(name, app, dataset, from, to, strategy));
    MigrationTrace.Seen seen = trace.awaitFinished(name, MIGRATION_TIMEOUT);
    long finishedNanos = System.nanoTime();
    Migration m = seen.migration();
    boolean succeeded = m.status().phase() == MigrationPhase.Succeeded;
    // The client's downtime ends at its first acknowledged write after the cut-over.
    long resumedNanos = succeeded ? await("the client writing again after " + name, Duration.ofMinutes(2),
        () -> load.acks().stream().mapToLong(WriteLoad.Ack::nanos).filter(t -> t > finishedNanos).boxed().findFirst())
        : finishedNanos;
    List<Long> acks = load.acks().stream().map(WriteLoad.Ack::nanos).toList();
    double clientDowntime = MigrationRun.longestGapS(acks, startNanos, resumedNanos);
    Instant quiesce = Optional.ofNullable(m.status().quiesceTime()).orElse(m.status().completionTime());
    Instant completion = m.status().completionTime();
    Map<String, Double> phases = MigrationRun.phaseSplit(quiesce, seen.phases(),
        succeeded ? taskStarted("/" + app) : Optional.empty(), completion);
    double controllerDowntime = m.status().downtime() == null ? 0 : MigrationRun.seconds(m.status().downtime());
    double total = MigrationRun.seconds(Duration.between(m.metadata().creationTimestamp(), completion));
    int run = runs.size();
    long acked = load.acks().stream().filter(a -> a.run() == run).count();
    Map<String, Double> finalSync = MigrationRun.finalSyncSplit(Optional.ofNullable(seen.phases().get(MigrationPhase.FinalSync)),
        seen.finalRound(), Optional.ofNullable(seen.phases().get(MigrationPhase.Switch)));
    // TransferRound leaves baseGuid null when the JSON omits it (NON_EMPTY): a full stream.
    boolean fullCopy = !m.status().rounds().isEmpty()
        && m.status().rounds().get(0).baseGuid().isEmpty();
    MigrationRun result = new MigrationRun(name, strategy.name(), size.text(), size.bytes(), from, to,
        m.status().phase().name(), fullCopy, clientDowntime, controllerDowntime, phases, finalSync, total,
        m.status().rounds().size(), m.status().bytesTransferred(), acked, 0);
    System.out.printf("  %s %s->%s: %s, client %.3f s, controller %.3f s, %d rounds (%s), %d bytes, total %.1f s%n"
        + "    phases %s%n    finalSync %s%n", name, from, to, m.status().phase(), clientDowntime, controllerDowntime,
        result.rounds(), fullCopy ? "full copy first" : "incremental from the copy left there", result.bytesMoved(), total,
        rounded(phases), rounded(finalSync));
    if (!succeeded) {
      System.out.println("    " + m.status().message());
    }
    return result;
  }

  private static String rounded(Map<String, Double> seconds) {
    StringBuilder out = new StringBuilder();
    seconds.forEach((k, v) -> out.append(out.isEmpty() ? "" : ", ").append(String.format("%s %.3f s", k, v)));
    return out.toString();
  }

  /** Reads every acknowledged key back and counts, per run, the ones missing or wrong. */
  private void readBack(WriteLoad load, int firstRun) throws Exception {
    List<WriteLoad.Ack> acks = load.acks();
    List<Optional<String>> values = load.read(acks.stream().map(WriteLoad.Ack::key).toList());
    long[] lost = new long[runs.size() - firstRun];
    for (int i = 0; i < acks.size(); i++) {
      if (!values.get(i).equals(Optional.of(acks.get(i).value()))) {
        lost[Math.min(lost.length - 1, Math.max(0, acks.get(i).run() - firstRun))]++;
      }
    }
    long[] acked = new long[lost.length];
    acks.forEach(a -> acked[Math.min(acked.length - 1, Math.max(0, a.run() - firstRun))]++);
    for (int r = 0; r < lost.length; r++) {
      runs.set(firstRun + r, runs.get(firstRun + r).withWrites(acked[r], lost[r]));
    }
    System.out.printf("  read back %d acknowledged writes: %d missing or wrong; %d writes failed for good%n", acks.size(),
        java.util.Arrays.stream(lost).sum(), load.failures());
  }

  /** The demo's Redis, as {@link RedisManifest} makes it, its dataset deleted with it. */
  static String manifest(Path home, String name, String dataset, Quantity quota) throws IOException {
    return RedisManifest.of(home, name, Map.of("bench", "migration"), dataset, quota, "Delete");
  }

  private Optional<String> primaryMounted(String dataset) {
    Optional<Dataset> d = store.get(Kind.DATASET, dataset).join();
    return d.filter(x -> !x.spec().primary().isEmpty()).flatMap(x -> {
      DatasetCopy copy = x.status().copies().get(x.spec().primary());
      return copy != null && copy.mounted() && !copy.readonly() ? Optional.of(x.spec().primary()) : Optional.empty();
    });
  }

  /**
   * Writes {@code size} random bytes to {@code fill.bin} in the dataset's mount on {@code node},
   * beside Redis's files: the data to move, which Redis does not load at its start.
   */
  private void fill(String node, String dataset, Quantity size) throws IOException {
    Node n = store.get(Kind.NODE, node).join().orElseThrow();
    Path file = Path.of(n.spec().datasetPath(dataset)).resolve("fill.bin");
    long start = System.nanoTime();
    RandomFile.write(file, size);
    System.out.printf("  filled %s with %s in %.1f s%n", file, size.text(), (System.nanoTime() - start) / 1e9);
  }

  private void awaitHealthy(String appId, Duration timeout) throws Exception {
    await(appId + " healthy in Marathon", timeout, () -> cluster.tasks(appId).flatMap(tasks -> {
      for (JsonNode t : tasks) {
        boolean healthy = t.path("healthCheckResults").size() > 0;
        for (JsonNode h : t.path("healthCheckResults")) {
          healthy &= h.path("alive").asBoolean(false);
        }
        if (t.path("state").asText().equals("TASK_RUNNING") && healthy) {
          return Optional.of(true);
        }
      }
      return Optional.empty();
    }));
  }

  /** When Marathon says the app's running task started: the end of the "start" phase. */
  private Optional<Instant> taskStarted(String appId) {
    return cluster.tasks(appId).flatMap(tasks -> {
      for (JsonNode t : tasks) {
        if (t.path("state").asText().equals("TASK_RUNNING") && t.hasNonNull("startedAt")) {
          return Optional.of(Instant.parse(t.path("startedAt").asText()));
        }
      }
      return Optional.empty();
    });
  }

  @FunctionalInterface
  private interface Probe<T> {
    Optional<T> get() throws Exception;
  }

  private static <T> T await(String what, Duration timeout, Probe<T> probe) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  /** What the figures were measured on, for the JSON and docs/benchmarks.md. */
  static Map<String, String> machine() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("nproc", Integer.toString(Runtime.getRuntime().availableProcessors()));
    try {
      m.put("memory", Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));
    } catch (IOException e) {
      m.put("memory", "unknown");
    }
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    Command zfs = Command.run("dpkg-query", "-W", "-f", "${Version}", "zfs-fuse");
    m.put("zfs-fuse", zfs.ok() ? zfs.stdout().strip() : "unknown");
    return m;
  }
}
