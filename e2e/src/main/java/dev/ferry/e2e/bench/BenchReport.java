package dev.ferry.e2e.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A benchmark's figures: printed as lines for people and written as JSON for scripts. */
final class BenchReport {

  private final String name;
  private final ObjectNode json = Json.json().createObjectNode();
  private final List<String> lines = new ArrayList<>();

  BenchReport(String name) {
    this.name = name;
  }

  BenchReport put(String key, double value, String label, String unit) {
    json.put(key, value);
    lines.add(String.format("%-44s %12.2f %s", label, value, unit));
    return this;
  }

  BenchReport put(String key, long value, String label, String unit) {
    json.put(key, value);
    lines.add(String.format("%-44s %12d %s", label, value, unit));
    return this;
  }

  /** One figure per part ({@code {"node1": 2.0, ...}}), a line each. */
  BenchReport put(String key, Map<String, Double> values, String label, String unit) {
    ObjectNode node = json.putObject(key);
    values.forEach((part, value) -> {
      node.put(part, value);
      lines.add(String.format("%-44s %12.2f %s", label + ", " + part, value, unit));
    });
    return this;
  }

  BenchReport put(String key, String value, String label) {
    json.put(key, value);
    lines.add(String.format("%-44s %s", label, value));
    return this;
  }

  /** Prints the figures and writes {@code target/bench/<name>.json} under {@code home}. */
  Path write(Path home) throws IOException {
    System.out.println();
    System.out.println(name + ":");
    lines.forEach(l -> System.out.println("  " + l));
    Path out = home.resolve("target").resolve("bench").resolve(name + ".json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    System.out.println("  written to " + out);
    return out;
  }

  /** The {@code p}-th percentile (0..100) of the samples, nearest-rank. */
  static double percentile(List<Double> samples, double p) {
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
