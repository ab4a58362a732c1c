package dev.ferry.agent.bench;

import dev.ferry.agent.metrics.AgentProbes;
import dev.ferry.agent.metrics.TransferBytes;
import dev.ferry.api.metrics.PrometheusMetrics;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.agent.testing.DataFiles;
import dev.ferry.agent.snapshots.SnapshotHolds;
import dev.ferry.agent.transfer.TicketVerifier;
import dev.ferry.agent.transfer.TransferClient;
import dev.ferry.agent.transfer.TransferReceiver;
import dev.ferry.agent.transfer.TransferRequest;
import dev.ferry.agent.transfer.TransferResult;
import dev.ferry.agent.transfer.TransferServer;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.ZfsCli;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsLayout;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.Snapshot;
import dev.ferry.agent.transfer.TransferCap;
import dev.ferry.agent.transfer.UsedNonces;
import dev.ferry.api.transfer.AgentRequest;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.api.transfer.TransferTicket;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./ferry bench transfer}: moves a 1 GiB dataset of incompressible data from node1's pool
 * to node2's through the agents' transfer path (TransferClient on 127.0.1.1 streaming into the
 * TransferServer on 127.0.1.2, ticket and all), and, in the same run, pipes {@code zfs send |
 * zfs receive} directly between the same pools; prints both rates, their ratio and the times of
 * 1, 16 and 64 MiB incrementals, and writes them as JSON. With {@code --max-rate 50Mi} it also
 * sends the full stream once more under that node cap ({@code transferMaxBytesPerSecond}) and
 * prints the rate it kept to.
 *
 * <p>Each full transfer runs {@value #RUNS} times, alternating the two ways so that neither
 * gets a warmer cache; the best run of each counts. The pools are the benchmark's own and are
 * destroyed at the end, whatever happens.
 */
public final class TransferBench {

  private static final long MIB = 1 << 20;
  private static final int RUNS = 3;
  private static final DatasetName AGENT_COPY = DatasetName.of("bench");
  private static final String RAW_COPY = "bench-raw";
  private static final ClusterKey KEY = ClusterKey.random();

  private final ZfsDriver source;
  private final ZfsDriver target;
  private final Vertx vertx = Vertx.vertx();
  private TransferClient client;
  private TransferServer server;
  private int port;

  /** Where the target keeps its used ticket nonces: beside its pool, removed with it. */
  private final Path targetState;

  private TransferBench(ZfsDriver source, ZfsDriver target, Path targetState) {
    this.source = source;
    this.target = target;
    this.targetState = targetState;
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of("target/bench/transfer.json");
    Quantity cap = Quantity.ofBytes(0);
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 == args.length || !List.of("--out", "--max-rate").contains(args[i])) {
        System.err.println("usage: ./ferry bench transfer [--max-rate QUANTITY, e.g. 50Mi]; got " + String.join(" ", args));
        System.exit(2);
      }
      try {
        if (args[i].equals("--out")) {
          out = Path.of(args[i + 1]);
        } else {
          cap = Quantity.parse(args[i + 1]);
        }
      } catch (IllegalArgumentException e) {
        System.err.println("--max-rate: " + e.getMessage());
        System.exit(2);
      }
    }
    long size = Long.getLong("ferry.bench.mib", 1024) * MIB;
    int status = 0;
    try (BenchPools pools = new BenchPools()) {
      BenchPools.Pool node1 = pools.create(size * 2 + 512 * MIB);
      BenchPools.Pool node2 = pools.create(size * 3 + 512 * MIB);
      TransferBench bench = new TransferBench(driver(node1), driver(node2),
          node2.mountRoot().resolveSibling("agent-state"));
      try {
        ObjectNode result = bench.run(size, source(node1));
        if (cap.bytes() > 0) {
          bench.capped(base(bench), cap, result);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
        System.out.println("wrote " + out);
      } finally {
        bench.vertx.close().await();
      }
    } catch (Exception e) {
      System.err.println("bench transfer failed: " + e);
      status = 1;
    }
    System.exit(status);
  }

  private static Path source(BenchPools.Pool pool) {
    return pool.mountRoot().resolve(AGENT_COPY.value());
  }

  private static ZfsDriver driver(BenchPools.Pool pool) {
    ZfsDriver driver = ZfsDriver.detect(new ZfsLayout(pool.name(), pool.mountRoot()), ZfsCli.standard());
    driver.ensureRoot();
    return driver;
  }

  private ObjectNode run(long size, Path data) throws Exception {
    TransferReceiver receiver = new TransferReceiver(target, dataset -> false);
    PrometheusMetrics metrics = new PrometheusMetrics();
    TransferBytes counted = TransferBytes.register(metrics.registry());
    TransferServer server = new TransferServer(vertx, new AgentRequest(KEY, "node2", Clock.systemUTC()),
        new TicketVerifier(KEY, "node2", Clock.systemUTC(), UsedNonces.open(targetState, Clock.systemUTC())), receiver,
        p -> { }, counted, new AgentProbes(metrics, () -> true));
    port = server.listen("127.0.1.2", 0).await();
    client = new TransferClient(vertx, source, "127.0.1.1", counted, Optional.empty(), KEY,
        new AgentRequest(KEY, "node1", Clock.systemUTC()), TransferCap.unlimited());
    this.server = server;

    source.create(AGENT_COPY, size * 2);
    System.out.printf("writing %d MiB of random data ...%n", size / MIB);
    DataFiles.write(data.resolve("data.bin"), size, 42);
    Snapshot base = source.snapshot(AGENT_COPY, "s0");

    CpuMeter meter = new CpuMeter();
    List<CpuMeter.Cpu> agentCpu = new ArrayList<>();
    List<CpuMeter.Cpu> rawCpu = new ArrayList<>();
    List<Double> agentSeconds = new ArrayList<>();
    List<Double> rawSeconds = new ArrayList<>();
    long streamBytes = 0;
    SnapshotHolds targetHolds = new SnapshotHolds(target);
    for (int run = 1; run <= RUNS; run++) {
      // The receiver holds what it received, as the base of a next round; the agent releases it
      // when the migration ends, as this does before starting over.
      if (target.exists(AGENT_COPY)) {
        targetHolds.releaseAll(AGENT_COPY);
      }
      target.destroy(AGENT_COPY);
      meter.start();
      TimedResult agent = agentSend(Optional.empty(), base);
      agentCpu.add(meter.stop());
      streamBytes = agent.result().bytes();
      agentSeconds.add(agent.seconds());
      target.destroy(DatasetName.of(RAW_COPY));
      meter.start();
      rawSeconds.add(rawSend(Optional.empty(), base));
      rawCpu.add(meter.stop());
      System.out.printf("run %d: agent %.2f s (cpu: jvm %.2f s, zfs-fuse %.2f s), raw %.2f s (cpu: zfs-fuse %.2f s)"
          + " for %d bytes%n", run, agent.seconds(), agentCpu.get(run - 1).jvmSeconds(),
          agentCpu.get(run - 1).daemonSeconds(), rawSeconds.get(run - 1), rawCpu.get(run - 1).daemonSeconds(),
          streamBytes);
    }
    double agentRate = (double) streamBytes / MIB / agentSeconds.stream().min(Double::compare).orElseThrow();
    double rawRate = (double) streamBytes / MIB / rawSeconds.stream().min(Double::compare).orElseThrow();

    ObjectNode json = Json.json().createObjectNode();
    json.put("datasetBytes", size).put("streamBytes", streamBytes)
        .put("agentMiBps", round(agentRate)).put("rawMiBps", round(rawRate)).put("ratio", round(agentRate / rawRate));
    json.set("agentSeconds", Json.json().valueToTree(agentSeconds));
    json.set("rawSeconds", Json.json().valueToTree(rawSeconds));
    json.set("agentCpu", Json.json().valueToTree(agentCpu));
    json.set("rawCpu", Json.json().valueToTree(rawCpu));
    json.put("cpus", Runtime.getRuntime().availableProcessors());
    System.out.printf("full 1 GiB stream: agent %.1f MiB/s, raw zfs send | zfs receive %.1f MiB/s, ratio %.3f%n",
        agentRate, rawRate, agentRate / rawRate);

    ArrayNode incrementals = json.putArray("incrementals");
    Snapshot previous = base;
    for (long mib : List.of(1L, 16L, 64L)) {
      DataFiles.write(data.resolve("delta-" + mib + ".bin"), mib * MIB, mib);
      Snapshot next = source.snapshot(AGENT_COPY, "s" + mib);
      TimedResult agent = agentSend(Optional.of(previous), next);
      double raw = rawSend(Optional.of(previous), next);
      incrementals.addObject().put("mib", mib).put("streamBytes", agent.result().bytes())
          .put("agentSeconds", round(agent.seconds())).put("rawSeconds", round(raw));
      System.out.printf("incremental %2d MiB: agent %.3f s, raw %.3f s (%d bytes)%n", mib, agent.seconds(), raw,
          agent.result().bytes());
      previous = next;
    }
    client.close().await();
    return json;
  }

  private static Snapshot base(TransferBench bench) {
    return bench.source.snapshots(AGENT_COPY).get(0);
  }

  /** The full stream once more, under a node cap of {@code cap} bytes per second: the rate it kept. */
  private void capped(Snapshot base, Quantity cap, ObjectNode json) {
    TransferCap limit = TransferCap.bytesPerSecond(cap.bytes());
    client = new TransferClient(vertx, source, "127.0.1.1", TransferBytes.register(new PrometheusMetrics().registry()),
        Optional.empty(), KEY, new AgentRequest(KEY, "node1", Clock.systemUTC()), limit);
    new SnapshotHolds(target).releaseAll(AGENT_COPY);
    target.destroy(AGENT_COPY);
    TimedResult sent = agentSend(Optional.empty(), base);
    double rate = sent.result().bytes() / sent.seconds();
    json.put("capBytesPerSecond", cap.bytes()).put("cappedMiBps", round(rate / MIB))
        .put("cappedOverCap", round(rate / cap.bytes()));
    System.out.printf("full stream under a node cap of %s/s: %.1f MiB/s (%.3f of the cap)%n", cap, rate / MIB,
        rate / cap.bytes());
    client.close().await();
    server.close().await();
  }

  private record TimedResult(TransferResult result, double seconds) {}

  /** One stream through the agents' transfer path, timed from asking to the target's confirmation. */
  private TimedResult agentSend(Optional<Snapshot> base, Snapshot snapshot) {
    String ticket = TransferTicket.issue("bench", 0, AGENT_COPY.value(), "node1", "node2", base.map(Snapshot::guid).orElse(""),
        snapshot.name(), Duration.ofMinutes(10), Clock.systemUTC()).encode(KEY);
    TransferRequest request = new TransferRequest("127.0.1.2", port, ticket, AGENT_COPY, base.map(Snapshot::name),
        snapshot.name());
    long started = System.nanoTime();
    TransferResult result = client.send(request, p -> { }).await();
    return new TimedResult(result, (System.nanoTime() - started) / 1e9);
  }

  /** {@code zfs send [-i base] snap | zfs receive -u [-F] copy}, two processes joined by a pipe, no shell. */
  private double rawSend(Optional<Snapshot> base, Snapshot snapshot) throws Exception {
    String from = source.layout().filesystem(AGENT_COPY);
    List<String> send = new ArrayList<>(List.of("zfs", "send"));
    base.ifPresent(b -> send.addAll(List.of("-i", from + "@" + b.name())));
    send.add(from + "@" + snapshot.name());
    String copy = target.layout().root() + "/" + RAW_COPY;
    List<String> receive = base.isPresent() ? List.of("zfs", "receive", "-u", "-F", copy)
        : List.of("zfs", "receive", "-u", copy);
    long started = System.nanoTime();
    List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
        new ProcessBuilder(send).redirectError(ProcessBuilder.Redirect.INHERIT),
        new ProcessBuilder(receive).redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)));
    for (Process p : pipeline) {
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", send) + " | " + String.join(" ", receive)
            + " failed with exit " + p.exitValue());
      }
    }
    return (System.nanoTime() - started) / 1e9;
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
