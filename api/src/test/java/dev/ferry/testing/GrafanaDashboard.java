package dev.ferry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL queries of a Grafana dashboard JSON (every {@code expr}, panels nested in rows
 * too), with the metric names each uses and the Prometheus jobs it selects
 * ({@code job="a"} or {@code job=~"a|b"}), so a test can check them against what a running
 * process serves.
 *
 * @param queries in the order of the file
 */
public record GrafanaDashboard(List<Query> queries) {

  /** Ferry's metric namespaces: its own, and Micrometer's JVM and process metrics. */
  private static final Pattern METRIC = Pattern.compile("\\b(?:ferry|jvm|process)_[a-zA-Z0-9_:]*");
  private static final Pattern JOB = Pattern.compile("\\bjob\\s*=~?\\s*\"([^\"]*)\"");
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

  /** One query: its text, the metric names in it, the jobs it selects (empty: none named). */
  public record Query(String expr, Set<String> metrics, Set<String> jobs) {}

  public static GrafanaDashboard read(Path file) {
    try {
      List<Query> queries = new ArrayList<>();
      collect(new ObjectMapper().readTree(file.toFile()), queries);
      return new GrafanaDashboard(List.copyOf(queries));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard " + file, e);
    }
  }

  /** The metric names used by queries that select {@code job}. */
  public Set<String> metricsOf(String job) {
    Set<String> out = new TreeSet<>();
    queries.stream().filter(q -> q.jobs().contains(job)).forEach(q -> out.addAll(q.metrics()));
    return out;
  }

  /** The names of the samples in a Prometheus text scrape ({@code x_bucket}, {@code x_count} and so on). */
  public static Set<String> served(String scrape) {
    Set<String> out = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  private static void collect(JsonNode node, List<Query> out) {
    if (node.isObject()) {
      JsonNode expr = node.get("expr");
      if (expr != null && expr.isTextual()) {
        out.add(parse(expr.asText()));
      }
      node.fields().forEachRemaining(field -> {
        if (!field.getKey().equals("expr")) {
          collect(field.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, out));
    }
  }

  static Query parse(String expr) {
    Set<String> metrics = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      metrics.add(m.group());
    }
    Set<String> jobs = new TreeSet<>();
    Matcher j = JOB.matcher(expr);
    while (j.find()) {
      jobs.addAll(Arrays.asList(j.group(1).split("\\|")));
    }
    return new Query(expr, metrics, jobs);
  }
}
