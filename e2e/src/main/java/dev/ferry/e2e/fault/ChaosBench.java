package dev.ferry.e2e.fault;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.Quantity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * {@code ./ferry bench chaos N [--seed S]}: N moves of the demo's Redis under write load on a
 * {@code ./ferry up} cluster with two controllers, each with one fault of the library drawn at
 * random and injected at a phase drawn at random. A table on the terminal (fault, phase, outcome,
 * writes acknowledged, writes lost, two writers, time to recover) and {@code target/bench/chaos.json}
 * with a {@code runs} list. Exit status 0 when every move ended Succeeded or RolledBack with no
 * write lost and never two writers; 1 otherwise or when the benchmark failed; 2 for bad options.
 */
public final class ChaosBench {

  /** A fault drawn for a move: what it is built from the move's source and target, and its name. */
  record Draw(String name, BiFunction<String, String, Fault> fault, boolean needsData) {}

  static final List<Draw> FAULTS = List.of(
      new Draw("kill source agent", (from, to) -> new Fault.Kill("agent-" + from, Duration.ofSeconds(2)), false),
      new Draw("kill target agent", (from, to) -> new Fault.Kill("agent-" + to, Duration.ofSeconds(2)), false),
      new Draw("kill leader", (from, to) -> new Fault.Kill(FaultCluster.LEADER, Duration.ofSeconds(1)), false),
      new Draw("freeze leader", (from, to) -> new Fault.Freeze(FaultCluster.LEADER, Duration.ofSeconds(20)), false),
      new Draw("restart etcd", (from, to) -> new Fault.Kill("etcd", Duration.ofSeconds(3)), false),
      new Draw("restart zookeeper", (from, to) -> new Fault.Kill("zookeeper", Duration.ofSeconds(3)), false),
      new Draw("scheduler stopped", (from, to) -> new Fault.Freeze("scheduler", Duration.ofSeconds(30)), false),
      new Draw("target pool full", (from, to) -> new Fault.PoolFull(to), true));

  static final List<MigrationPhase> PHASES = List.of(MigrationPhase.PreCopy, MigrationPhase.Quiesce,
      MigrationPhase.FinalSync, MigrationPhase.Switch, MigrationPhase.Start);

  private static final Duration DEADLINE = Duration.ofMinutes(6);

  private ChaosBench() {}

  public static void main(String[] args) {
    ChaosOptions options;
    try {
      options = ChaosOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench chaos: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      Path home = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
      List<FaultRun> runs = run(options, home, home.resolve("target").resolve("bench"));
      System.exit(runs.stream().allMatch(ChaosBench::safe) ? 0 : 1);
    } catch (Exception e) {
      System.err.println("bench chaos FAILED: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  /** A move that ended where the protocol allows, with nothing lost and one writer at a time. */
  static boolean safe(FaultRun run) {
    return (run.outcome().equals("Succeeded") || run.outcome().equals("RolledBack")) && run.writesLost() == 0
        && !run.twoWriters();
  }

  /** Runs the moves, prints the table, writes {@code chaos.json} to {@code out}; returns the runs. */
  static List<FaultRun> run(ChaosOptions options, Path home, Path out) throws Exception {
    System.out.printf("bench chaos: %d faults, seed %d, %d writes/s%n", options.runs(), options.seed(),
        options.writeRate());
    SplittableRandom random = new SplittableRandom(options.seed());
    List<FaultRun> runs = new ArrayList<>();
    FaultCluster faults = FaultCluster.up(home, Quantity.mebibytes(512));
    try {
      faults.startStandbyController();
      try (RedisUnderLoad redis = RedisUnderLoad.start(faults, home, "chaos", options.writeRate())) {
        System.out.println(FaultRun.header());
        for (int i = 0; i < options.runs(); i++) {
          Draw draw = FAULTS.get(random.nextInt(FAULTS.size()));
          MigrationPhase phase = draw.needsData() ? MigrationPhase.PreCopy : PHASES.get(random.nextInt(PHASES.size()));
          if (draw.needsData()) {
            redis.fill(Quantity.mebibytes(16));
          }
          FaultRun run;
          try {
            // Each move retries failed rounds for two minutes at most: a fault that never heals (a
            // full pool) ends in a rollback then, well within the benchmark's own deadline.
            run = redis.move(draw.fault(), phase, DEADLINE, Duration.ofMinutes(2));
          } catch (Exception e) {
            // A move that never reached its phase or never ended is a finding, not the end of the benchmark.
            run = new FaultRun(draw.name(), phase.name(), "", "Stuck", e.getMessage(), "", 0, -1, false, -1,
                List.of());
            runs.add(run);
            System.out.println(run.row() + "  " + e.getMessage());
            break;
          }
          runs.add(run);
          System.out.println(run.row());
        }
      }
    } finally {
      faults.close(out.resolve("chaos-logs"));
    }
    long unsafe = runs.stream().filter(r -> !safe(r)).count();
    System.out.println(unsafe == 0 ? "ALL MOVES SAFE: every one Succeeded or RolledBack, no write lost, one writer"
        : unsafe + " MOVES NOT SAFE");
    write(out.resolve("chaos.json"), options, runs);
    System.out.println("written to " + out.resolve("chaos.json") + "; the cluster's logs in " + out.resolve("chaos-logs"));
    return runs;
  }

  private static void write(Path file, ChaosOptions options, List<FaultRun> runs) throws Exception {
    ObjectNode json = Json.json().createObjectNode();
    json.put("seed", options.seed()).put("writeRate", options.writeRate());
    ArrayNode list = json.putArray("runs");
    for (FaultRun r : runs) {
      ObjectNode o = list.addObject();
      o.put("fault", r.fault()).put("phase", r.phase()).put("outcome", r.outcome()).put("message", r.message())
          .put("migration", r.migration()).put("primary", r.primary()).put("writesAcked", r.writesAcked())
          .put("writesLost", r.writesLost()).put("twoWriters", r.twoWriters()).put("recoverS", r.recoverS());
      r.events().forEach(o.putArray("events")::add);
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
  }
}
