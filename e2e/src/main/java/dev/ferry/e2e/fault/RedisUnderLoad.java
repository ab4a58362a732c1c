package dev.ferry.e2e.fault;

import dev.ferry.e2e.cluster.RandomFile;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.process.Command;
import dev.ferry.api.store.EtcdConfig;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.Subscription;
import dev.ferry.api.store.WatchEvent;
import dev.ferry.devcluster.launcher.ClusterRecord;
import dev.ferry.e2e.cluster.FerryUpCluster;
import dev.ferry.e2e.cluster.RedisManifest;
import dev.ferry.e2e.cluster.WriteLoad;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The demo's Redis ({@code appendfsync always}) as a StatefulApp on a {@link FaultCluster}, under
 * a continuous write load whose client records every acknowledged write ({@link WriteLoad}), with
 * a {@link DatasetWriters} sampler on its dataset on every node. {@link #move} asks for a Migration
 * to the other node, injects a fault when the Migration reaches a phase, and reports what a user
 * would check ({@link FaultRun}): the final phase read from the API within a deadline, every
 * acknowledged write read back, two writers ever seen, the events.
 *
 * <p>Phases are seen through an etcd watch on the Migration (every status write the controller
 * makes is one revision, so even a phase that lasts milliseconds is seen); outcomes through the API.
 */
public final class RedisUnderLoad implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

  private final FaultCluster faults;
  private final FerryUpCluster cluster;
  private final Path home;
  private final String app;
  private final String dataset;
  private final Vertx vertx;
  private final EtcdStore store;
  private final Subscription watch;
  private final Map<String, Migration> migrations = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<MigrationPhase>> triggers = new ConcurrentHashMap<>();
  private final Map<String, MigrationPhase> triggerPhase = new ConcurrentHashMap<>();
  private final int writesPerSecond;
  private WriteLoad load;
  private DatasetWriters writers;
  private int moves;

  private RedisUnderLoad(FaultCluster faults, Path home, String app, int writesPerSecond) {
    this.faults = faults;
    this.cluster = faults.cluster();
    this.home = home;
    this.app = app;
    this.dataset = app + "-data";
    this.writesPerSecond = writesPerSecond;
    this.vertx = Vertx.vertx();
    this.store = EtcdStore.connect(cluster.etcd());
    this.watch = store.listAndWatch(Kind.MIGRATION, LabelSelector.EVERYTHING, this::seen);
  }

  /**
   * Applies the app (dataset retained when it is deleted), waits until it serves, and starts the
   * load and the two-writers sampler.
   */
  public static RedisUnderLoad start(FaultCluster faults, Path home, String app, int writesPerSecond) throws Exception {
    RedisUnderLoad r = new RedisUnderLoad(faults, home, app, writesPerSecond);
    try {
      r.apply();
      r.awaitServing(START_TIMEOUT);
      r.load = new WriteLoad(r.vertx, URI.create(r.cluster.marathonUrl()), r.cluster.marathonCredentials(), "/" + app,
          writesPerSecond).start();
      r.writers = new DatasetWriters(r.mounts(), "redis-server").start();
      await("the first acknowledged write", Duration.ofMinutes(2), () -> !r.load.acks().isEmpty());
      return r;
    } catch (Exception | Error e) {
      r.close();
      throw e;
    }
  }

  public String app() {
    return app;
  }

  public String dataset() {
    return dataset;
  }

  public WriteLoad load() {
    return load;
  }

  public DatasetWriters writers() {
    return writers;
  }

  /** (Re)applies the StatefulApp: the demo's Redis, with a placement both nodes satisfy and {@code reclaimPolicy: Retain}. */
  public void apply() throws IOException, InterruptedException {
    cluster.apply("statefulapps", app, RedisManifest.of(home, app, Map.of("fault", "suite"), dataset,
        Quantity.mebibytes(128), "Retain"));
  }

  /** The node whose copy is the primary now, as the Dataset says. */
  public String primary() {
    return store.get(Kind.DATASET, dataset).join().map(d -> d.spec().primary()).orElseThrow();
  }

  /** The other node of the two. */
  public String other(String node) {
    return node.equals("node1") ? "node2" : "node1";
  }

  /**
   * Writes {@code size} random bytes into {@code fill-N.bin} in the dataset's primary mount, so that
   * the next move has that much to send (a full disk shows only on a stream that needs space).
   */
  public void fill(Quantity size) throws IOException {
    String node = primary();
    ClusterRecord.Node n = node(node);
    Path mount = Path.of(n.datasetRoot()).resolve(dataset);
    // Never a file in a bare mountpoint: it would keep the dataset from being mounted there again.
    if (!Command.run("mountpoint", "-q", mount.toString()).ok()) {
      throw new IllegalStateException(dataset + " is not mounted at " + mount + " on " + node);
    }
    Path file = mount.resolve("fill-" + System.nanoTime() + ".bin");
    RandomFile.write(file, size);
  }

  /**
   * Moves the app to the other node, injecting {@code fault} (built for the move's source and
   * target) the moment the Migration is seen in {@code phase}, and waits up to {@code deadline}
   * for the Migration to end and Redis to acknowledge a write again.
   */
  public FaultRun move(java.util.function.BiFunction<String, String, Fault> fault, MigrationPhase phase,
      Duration deadline) throws Exception {
    return move(fault, phase, deadline, "");
  }

  /**
   * As {@link #move(java.util.function.BiFunction, MigrationPhase, Duration)}, with the Migration's
   * own {@code spec.deadlineSeconds}: how long it retries failed rounds before it rolls back (a
   * fault that never heals, such as a full pool, ends only then).
   */
  public FaultRun move(java.util.function.BiFunction<String, String, Fault> fault, MigrationPhase phase,
      Duration deadline, Duration migrationDeadline) throws Exception {
    return move(fault, phase, deadline, ", deadlineSeconds: " + migrationDeadline.toSeconds());
  }

  private FaultRun move(java.util.function.BiFunction<String, String, Fault> fault, MigrationPhase phase,
      Duration deadline, String moreSpec) throws Exception {
    awaitSettled(deadline);
    String from = primary();
    String to = other(from);
    Fault f = fault.apply(from, to);
    String name = app + "-move-" + (++moves) + "-" + System.currentTimeMillis() % 100_000;
    long acksBefore = load.acks().size();
    int violationsBefore = writers.violations().size();
    CompletableFuture<MigrationPhase> reached = new CompletableFuture<>();
    triggerPhase.put(name, phase);
    triggers.put(name, reached);
    cluster.apply("migrations", name, """
        apiVersion: ferry/v1
        kind: Migration
        metadata: {name: %s, labels: {fault: suite}}
        spec: {statefulApp: %s, dataset: %s, from: %s, to: %s, strategy: PreCopy%s}
        """.formatted(name, app, dataset, from, to, moreSpec));
    MigrationPhase at = reached.get(deadline.toSeconds(), TimeUnit.SECONDS);
    long injected = System.nanoTime();
    String injectedAt = at.name();
    try (Fault.Undo undo = f.inject(faults)) {
      String outcome = awaitFinished(name, deadline);
      awaitServing(deadline);
      long finishedNanos = System.nanoTime();
      await("a write acknowledged after " + name + " ended", deadline,
          () -> load.acks().stream().anyMatch(a -> a.nanos() > finishedNanos));
      double recover = (System.nanoTime() - injected) / 1e9;
      JsonNode m = cluster.get("migrations", name).orElseThrow();
      long acked = load.acks().size() - acksBefore;
      return new FaultRun(f.describe(), injectedAt, name, outcome, m.path("status").path("message").asText(),
          primary(), acked, lostWrites().size(), writers.violations().size() > violationsBefore, recover,
          events(List.of(app, name)));
    } finally {
      triggers.remove(name);
    }
  }

  /** A move with no fault: the phase it is "injected" in is Succeeded. */
  public FaultRun moveWithoutFault(Duration deadline) throws Exception {
    return move((from, to) -> new Fault.None(), MigrationPhase.Pending, deadline);
  }

  /** Waits for the Migration's final phase (Succeeded, RolledBack, Failed), read through the API, and returns it. */
  public String awaitFinished(String migration, Duration deadline) throws Exception {
    String[] phase = {""};
    await("migration " + migration + " to end", deadline, () -> {
      phase[0] = apiGet("migrations", migration).map(m -> m.path("status").path("phase").asText()).orElse("");
      return phase[0].equals("Succeeded") || phase[0].equals("RolledBack") || phase[0].equals("Failed");
    });
    return phase[0];
  }

  /** Waits until the dataset's primary copy is mounted writable and Marathon has a healthy task of the app. */
  public void awaitServing(Duration deadline) throws Exception {
    try {
      await(app + " serving (dataset mounted writable, a healthy task)", deadline, () -> primaryMounted() && healthy());
    } catch (IllegalStateException timedOut) {
      // Say what was missing, so that a failed run explains itself without the cluster's logs.
      throw new IllegalStateException(timedOut.getMessage() + ": primary mounted writable " + primaryMounted()
          + ", healthy task " + healthy() + "; dataset " + datasetObject().map(d -> d.spec() + " " + d.status())
          .orElse("absent") + "; tasks " + cluster.tasks("/" + app).map(Object::toString).orElse("none")
          + "; conditions " + conditions() + "; events " + events(List.of(app, dataset)), timedOut);
    }
  }

  /**
   * Waits until the cluster is as a move expects it: every node registered (a Node in the API),
   * a controller leading, and the app serving. A fault's effects can outlast the fault (an agent
   * started again registers its Node a while after its port answers).
   */
  public void awaitSettled(Duration deadline) throws Exception {
    List<String> nodes = cluster.record().nodes().stream().map(ClusterRecord.Node::name).toList();
    await("every node registered " + nodes, deadline, () -> {
      try {
        return cluster.list("nodes").stream().map(n -> n.path("metadata").path("name").asText()).toList()
            .containsAll(nodes);
      } catch (IOException e) {
        return false;
      }
    });
    await("a controller leading", deadline, () -> faults.leader().isPresent());
    // A node's pool figures are refreshed every refreshInterval: after a full pool is emptied, the
    // next move would be refused on the figure from before (Failed: "has N bytes free").
    // (A node that holds a copy already needs no room: the move sends it only what changed.)
    await("every node without a copy reporting room for " + dataset, deadline, () -> {
      Optional<Dataset> d = datasetObject();
      long needed = d.map(x -> x.spec().size().bytes()).orElse(0L);
      java.util.Set<String> holders = d.map(x -> x.status().copies().keySet()).orElse(java.util.Set.of());
      return cluster.list("nodes").stream().allMatch(n -> holders.contains(n.path("metadata").path("name").asText())
          || n.path("status").path("poolFreeBytes").asLong(0) >= needed);
    });
    awaitServing(deadline);
  }

  /** The acknowledged writes (all so far) that Redis does not return with the acknowledged value. */
  public List<String> lostWrites() throws Exception {
    List<WriteLoad.Ack> acks = load.acks();
    List<Optional<String>> values = load.read(acks.stream().map(WriteLoad.Ack::key).toList());
    List<String> lost = new ArrayList<>();
    for (int i = 0; i < acks.size(); i++) {
      if (!values.get(i).equals(Optional.of(acks.get(i).value()))) {
        lost.add(acks.get(i).key());
      }
    }
    return lost;
  }

  /**
   * The acknowledged writes whose key and value are not on disk in the dataset's copy on
   * {@code node}, read without Redis and without mounting the copy itself: a snapshot of it taken
   * now, cloned and mounted under a temp directory, every file searched (Redis's append-only
   * files hold each SET's key and value verbatim). The clone and snapshot are destroyed after.
   * For a copy that cannot be mounted or served, where reading back through Redis is impossible.
   */
  public List<String> writesMissingOnDisk(String node) throws IOException {
    String pool = node(node).pool();
    String fs = pool + "/ferry/" + dataset;
    String tag = "faultcheck" + System.nanoTime();
    String snapshot = fs + "@" + tag;
    String clone = pool + "/" + tag;
    Path mount = Files.createTempDirectory("ferry-faultcheck-");
    try {
      Command.run("zfs", "snapshot", snapshot).orThrow();
      Command.run("zfs", "clone", "-o", "mountpoint=" + mount, snapshot, clone).orThrow();
      Command mounted = Command.run("zfs", "mount", clone);
      if (!mounted.ok() && !Command.run("mountpoint", "-q", mount.toString()).ok()) {
        throw new IOException(mounted.failure());
      }
      StringBuilder onDisk = new StringBuilder();
      try (var files = Files.walk(mount)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          onDisk.append(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
      }
      String all = onDisk.toString();
      return load.acks().stream().filter(a -> !all.contains(a.key()) || !all.contains(a.value()))
          .map(WriteLoad.Ack::key).toList();
    } finally {
      Command.run("zfs", "destroy", clone);
      Command.run("zfs", "destroy", snapshot);
      Files.deleteIfExists(mount);
    }
  }

  /** The events of the named objects ("Reason: message"), through the API, oldest first. */
  public List<String> events(List<String> objects) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode e : apiList("events")) {
      JsonNode spec = e.path("spec");
      if (objects.contains(spec.path("involvedObject").path("name").asText())) {
        out.add(spec.path("reason").asText() + ": " + spec.path("message").asText());
      }
    }
    return out;
  }

  /** The StatefulApp's conditions ("Type=Status Reason: message"), through the API. */
  public List<String> conditions() throws Exception {
    List<String> out = new ArrayList<>();
    apiGet("statefulapps", app).ifPresent(a -> a.path("status").path("conditions").forEach(c -> out.add(
        c.path("type").asText() + "=" + c.path("status").asText() + " " + c.path("reason").asText() + ": "
            + c.path("message").asText())));
    return out;
  }

  /** The Dataset as etcd holds it now. */
  public Optional<Dataset> datasetObject() {
    return store.get(Kind.DATASET, dataset).join();
  }

  public EtcdStore store() {
    return store;
  }

  public ClusterRecord.Node node(String name) {
    return cluster.record().nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  /** Every node's mountpoint of the dataset. */
  public Map<String, Path> mounts() {
    Map<String, Path> mounts = new LinkedHashMap<>();
    cluster.record().nodes().forEach(n -> mounts.put(n.name(), Path.of(n.datasetRoot()).resolve(dataset)));
    return mounts;
  }

  private boolean primaryMounted() {
    try {
      Optional<Dataset> d = store.get(Kind.DATASET, dataset).get(20, TimeUnit.SECONDS);
      return d.filter(x -> !x.spec().primary().isEmpty()).map(x -> {
        DatasetCopy copy = x.status().copies().get(x.spec().primary());
        return copy != null && copy.mounted() && !copy.readonly();
      }).orElse(false);
    } catch (Exception e) {
      return false;
    }
  }

  private boolean healthy() {
    return cluster.tasks("/" + app).map(tasks -> {
      for (JsonNode t : tasks) {
        boolean ok = t.path("state").asText().equals("TASK_RUNNING") && t.path("healthCheckResults").size() > 0;
        for (JsonNode h : t.path("healthCheckResults")) {
          ok &= h.path("alive").asBoolean(false);
        }
        if (ok) {
          return true;
        }
      }
      return false;
    }).orElse(false);
  }

  /** An API read that rides out a controller being down or restarting: empty while it does not answer. */
  private Optional<JsonNode> apiGet(String plural, String name) {
    try {
      return cluster.get(plural, name);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private List<JsonNode> apiList(String plural) throws Exception {
    Exception last = null;
    for (int i = 0; i < 60; i++) {
      try {
        return cluster.list(plural);
      } catch (IOException e) {
        last = e;
        Thread.sleep(1000);
      }
    }
    throw last;
  }

  private void seen(WatchEvent<Migration> event) {
    if (event.type() == WatchEvent.Type.DELETED) {
      return;
    }
    Migration m = event.object();
    migrations.put(m.name(), m);
    CompletableFuture<MigrationPhase> trigger = triggers.get(m.name());
    MigrationPhase wanted = triggerPhase.get(m.name());
    if (trigger == null || wanted == null) {
      return;
    }
    MigrationPhase now = m.status().phase();
    if (now == wanted) {
      trigger.complete(now);
    } else if (now.isFinished()) {
      trigger.completeExceptionally(new IllegalStateException("migration " + m.name() + " ended " + now + " ("
          + m.status().message() + ") before it reached " + wanted));
    }
  }

  @FunctionalInterface
  public interface Check {
    boolean holds() throws Exception;
  }

  /** Polls {@code check} until it holds or {@code timeout} passed (then fails saying what it waited for). */
  public static void await(String what, Duration timeout, Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  /** Stops the load and the sampler; the app stays. */
  @Override
  public void close() {
    if (writers != null) {
      writers.close();
    }
    if (load != null) {
      try {
        load.stop();
      } catch (Exception e) {
        // The load is being dropped: what it was writing does not matter any more.
      }
      load.close();
    }
    watch.close();
    store.close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      Thread.currentThread().interrupt();
    }
  }
}
