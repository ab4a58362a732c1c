package dev.ferry.e2e.fault;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Quantity;
import dev.ferry.e2e.bench.BenchArgs;
import dev.ferry.e2e.bench.JavaHeap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./ferry bench soak [--moves 50] [--warmup 10] [--write-rate R]}: the demo's Redis moved back and forth
 * under write load on a {@code ./ferry up} cluster, and after every move the open file descriptors
 * ({@code /proc/PID/fd}), threads ({@code /proc/PID/status}) and heap after a full GC ({@code jcmd})
 * of the controller and each agent. It holds when no acknowledged write was lost, every move
 * Succeeded, and each figure of each process averaged over the last 10 moves is within 10% of its
 * average over the 10 moves after the warm-up (fewer when fewer moves remain: the first and last
 * half of them). The warm-up's moves are sampled but not compared: a JVM's thread pools and
 * caches fill on demand during its first moves (worker threads are created one per task until the
 * pool is full), which is growth that stops, not a leak; the windows after it show whether
 * anything still grows.
 * The table goes to the terminal and {@code target/bench/soak.json}. Exit 0 when it holds, 1
 * otherwise, 2 for bad options.
 */
public final class SoakBench {

  /** One process's figures after one move. */
  record Sample(int move, String process, int fds, int threads, double heapMiB) {}

  static final double TOLERANCE = 0.10;
  private static final Duration DEADLINE = Duration.ofMinutes(6);

  private SoakBench() {}

  public static void main(String[] args) {
    int moves = 50;
    int warmup = 10;
    int writeRate = 50;
    try {
      String usage = "usage: ./ferry bench soak [--moves 50] [--warmup 10] [--write-rate R]";
      for (Map.Entry<String, String> pair : BenchArgs.pairs(args, 0, usage)) {
        switch (pair.getKey()) {
          case "--moves" -> moves = BenchArgs.wholeNumber(pair.getKey(), pair.getValue(), 10_000);
          case "--warmup" -> warmup = BenchArgs.wholeNumber(pair.getKey(), pair.getValue(), 10_000);
          case "--write-rate" -> writeRate = BenchArgs.wholeNumber(pair.getKey(), pair.getValue(), 10_000);
          default -> throw new IllegalArgumentException("unknown option '" + pair.getKey() + "'; " + usage);
        }
      }
      if (moves - warmup < 2) {
        throw new IllegalArgumentException("--warmup " + warmup + " leaves fewer than 2 of the " + moves
            + " moves to compare; " + usage);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("bench soak: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      Path home = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
      System.exit(run(moves, warmup, writeRate, home, home.resolve("target").resolve("bench")) ? 0 : 1);
    } catch (Exception e) {
      System.err.println("bench soak FAILED: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  static boolean run(int moves, int warmup, int writeRate, Path home, Path out) throws Exception {
    System.out.printf("bench soak: %d moves (the first %d a warm-up), %d writes/s%n", moves, warmup, writeRate);
    List<Sample> samples = new ArrayList<>();
    List<FaultRun> runs = new ArrayList<>();
    Map<String, Map<String, Long>> histogramsAfterWarmup = new LinkedHashMap<>();
    Map<String, List<String>> grewMost = new LinkedHashMap<>();
    long lost;
    long acked;
    FaultCluster faults = FaultCluster.up(home, Quantity.mebibytes(512));
    try (RedisUnderLoad redis = RedisUnderLoad.start(faults, home, "soak", writeRate)) {
      List<String> processes = faults.components().stream()
          .filter(c -> c.startsWith("controller") || c.startsWith("agent-")).toList();
      for (int move = 1; move <= moves; move++) {
        FaultRun run = redis.moveWithoutFault(DEADLINE);
        runs.add(run);
        for (String p : processes) {
          samples.add(sample(move, p, faults.pid(p)));
          // Where a growing heap goes: live bytes per class after the warm-up and at the end.
          if (move == warmup + 1) {
            histogramsAfterWarmup.put(p, JavaHeap.classBytes(faults.pid(p)));
          } else if (move == moves) {
            grewMost.put(p, JavaHeap.grewMost(histogramsAfterWarmup.getOrDefault(p, Map.of()),
                JavaHeap.classBytes(faults.pid(p)), 8));
          }
        }
        System.out.printf("move %3d %s->%s %s, recovered in %.1f s%n", move, redis.other(run.primary()), run.primary(),
            run.outcome(), run.recoverS());
      }
      lost = redis.lostWrites().size();
      acked = redis.load().acks().size();
    } finally {
      faults.close(out.resolve("soak-logs"));
    }
    Map<String, Map<String, double[]>> verdict = verdict(samples, moves, warmup);
    boolean flat = true;
    System.out.printf("%n%-14s %-8s %12s %12s %12s %8s%n", "process", "figure", "first", "after warmup", "last",
        "change");
    for (var p : verdict.entrySet()) {
      for (var f : p.getValue().entrySet()) {
        double[] v = f.getValue();
        boolean ok = v[2] <= v[1] * (1 + TOLERANCE);
        flat &= ok;
        System.out.printf("%-14s %-8s %12.1f %12.1f %12.1f %+7.1f%% %s%n", p.getKey(), f.getKey(), v[0], v[1], v[2],
            100 * (v[2] - v[1]) / v[1], ok ? "" : "GROWS");
      }
    }
    grewMost.forEach((p, classes) -> {
      System.out.printf("%n%s: live bytes that grew most from move %d to move %d%n", p, warmup + 1, moves);
      classes.forEach(c -> System.out.println("  " + c));
    });
    boolean allSucceeded = runs.stream().allMatch(r -> r.outcome().equals("Succeeded"));
    boolean holds = flat && lost == 0 && allSucceeded;
    System.out.printf("%d writes acknowledged, %d lost; %s%n", acked, lost, holds ? "SOAK HOLDS" : "SOAK DOES NOT HOLD");
    write(out.resolve("soak.json"), moves, warmup, acked, lost, allSucceeded, holds, samples, verdict);
    return holds;
  }

  /**
   * Per process and figure, averaged over {@code min(10, (moves - warmup) / 2)} moves each: the
   * first moves (warm-up included, shown for comparison), the first after the warm-up, and the
   * last; the verdict compares the last two.
   */
  static Map<String, Map<String, double[]>> verdict(List<Sample> samples, int moves, int warmup) {
    int window = Math.max(1, Math.min(10, (moves - warmup) / 2));
    Map<String, Map<String, double[]>> out = new LinkedHashMap<>();
    for (Sample s : samples) {
      Map<String, double[]> figures = out.computeIfAbsent(s.process(), k -> new LinkedHashMap<>());
      boolean first = s.move() <= window;
      boolean afterWarmup = s.move() > warmup && s.move() <= warmup + window;
      boolean last = s.move() > moves - window;
      for (int slot = 0; slot < 3; slot++) {
        if (slot == 0 && first || slot == 1 && afterWarmup || slot == 2 && last) {
          figures.computeIfAbsent("fds", k -> new double[3])[slot] += s.fds() / (double) window;
          figures.computeIfAbsent("threads", k -> new double[3])[slot] += s.threads() / (double) window;
          figures.computeIfAbsent("heapMiB", k -> new double[3])[slot] += s.heapMiB() / window;
        }
      }
    }
    return out;
  }

  private static Sample sample(int move, String process, long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    int fds;
    try (var list = Files.list(proc.resolve("fd"))) {
      fds = (int) list.count();
    }
    int threads = Files.readAllLines(proc.resolve("status")).stream().filter(l -> l.startsWith("Threads:"))
        .mapToInt(l -> Integer.parseInt(l.substring("Threads:".length()).strip())).findFirst().orElse(0);
    return new Sample(move, process, fds, threads, JavaHeap.mebibytesAfterGc(pid));
  }

  private static void write(Path file, int moves, int warmup, long acked, long lost, boolean allSucceeded, boolean holds,
      List<Sample> samples, Map<String, Map<String, double[]>> verdict) throws IOException {
    ObjectNode json = Json.json().createObjectNode();
    json.put("moves", moves).put("warmupMoves", warmup).put("writesAcked", acked).put("writesLost", lost).put("allSucceeded", allSucceeded)
        .put("tolerance", TOLERANCE).put("holds", holds);
    ObjectNode v = json.putObject("firstVsAfterWarmupVsLast");
    verdict.forEach((p, figures) -> {
      ObjectNode po = v.putObject(p);
      figures.forEach((f, x) -> po.putObject(f).put("first", x[0]).put("afterWarmup", x[1]).put("last", x[2]));
    });
    ArrayNode list = json.putArray("samples");
    samples.forEach(s -> list.addObject().put("move", s.move()).put("process", s.process()).put("fds", s.fds())
        .put("threads", s.threads()).put("heapMiB", s.heapMiB()));
    Files.createDirectories(file.getParent());
    Files.writeString(file, Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    System.out.println("written to " + file);
  }
}
