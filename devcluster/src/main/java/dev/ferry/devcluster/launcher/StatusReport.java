package dev.ferry.devcluster.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code ./ferry status}: what runs where, alive or dead, and the nodes with their pools. */
final class StatusReport {

  private final StateDir dir;

  StatusReport(StateDir dir) {
    this.dir = dir;
  }

  /**
   * Prints the report; returns 0 when the cluster is up and every component it started is alive,
   * 1 otherwise (nothing up, still starting, or something dead).
   */
  int print(PrintStream out) {
    Optional<ClusterRecord> found = ClusterRecord.read(dir);
    if (found.isEmpty()) {
      out.println("No cluster is up (nothing in " + dir.root() + "). Start one with ./ferry up");
      return 1;
    }
    ClusterRecord record = found.get();
    boolean supervisorAlive = OwnProcesses.alive(record.supervisorPid(), dir);
    String phase = supervisorAlive ? record.phase() : "DOWN (its supervisor is gone; ./ferry down cleans up)";
    out.println("Cluster in " + dir.root() + ": " + phase + ", started " + record.startedAt());
    if ("FAILED".equals(record.phase()) && !record.message().isEmpty()) {
      out.println("  failed: " + record.message());
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("COMPONENT", "PID", "ADDRESS", "STATE", "LOG"));
    rows.add(List.of("supervisor", Long.toString(record.supervisorPid()), "-", supervisorAlive ? "alive" : "dead",
        dir.log("supervisor").toString()));
    boolean allAlive = supervisorAlive;
    for (ClusterRecord.Component c : record.components()) {
      String state;
      if (c.pid() == 0) {
        state = c.state();
      } else if (OwnProcesses.alive(c.pid(), dir)) {
        state = "alive";
      } else {
        state = "dead";
        allAlive = false;
      }
      rows.add(List.of(c.name(), c.pid() == 0 ? "-" : Long.toString(c.pid()), c.address().isEmpty() ? "-" : c.address(),
          state, c.log().isEmpty() ? "-" : c.log()));
    }
    printTable(out, rows);
    out.println();
    List<List<String>> nodes = new ArrayList<>();
    nodes.add(List.of("NODE", "ADDRESS", "ATTRIBUTES", "POOL", "POOL SIZE/HEALTH", "DATASETS MOUNTED UNDER"));
    for (ClusterRecord.Node n : record.nodes()) {
      String attributes = n.attributes().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
          .collect(Collectors.joining(";"));
      String pool = record.pools().contains(n.pool()) ? Pools.describe(n.pool()).orElse("missing") : "not created";
      nodes.add(List.of(n.name(), n.address(), attributes.isEmpty() ? "-" : attributes, n.pool(), pool, n.datasetRoot()));
    }
    printTable(out, nodes);
    out.println();
    for (ClusterRecord.Component c : record.components()) {
      if (!c.url().isEmpty()) {
        out.println("  " + c.name() + ": " + c.url());
      }
    }
    if (record.contextWritten()) {
      out.println("  ferryctl context " + record.context() + " in " + record.ferryctlConfig());
    }
    return allAlive && "READY".equals(record.phase()) ? 0 : 1;
  }

  private static void printTable(PrintStream out, List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(i == columns - 1 ? row.get(i) : String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
