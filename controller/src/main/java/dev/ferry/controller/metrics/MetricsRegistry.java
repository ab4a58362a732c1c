package dev.ferry.controller.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * The controller's metrics, served by {@code /metrics} in Prometheus' text format (version
 * 0.0.4). Counters and gauges, with or without labels; any component registers its own:
 *
 * <pre>{@code
 * Counter syncs = metrics.counter("ferry_gitops_syncs_total", "GitSource syncs", "source", "result");
 * syncs.inc("config", "ok");
 * metrics.gauge("ferry_queue_depth", "Keys waiting in the work queue", queue::size);
 * }</pre>
 *
 * <p>Dependency-free on purpose: the controller needs a handful of counters and gauges, and the
 * text format is a few lines; a metrics library would bring its own registry and threading
 * model for that. Registering a name twice returns the first registration if it has the same
 * type and labels, and fails otherwise. Thread-safe.
 */
public final class MetricsRegistry {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private final Map<String, Metric> metrics = new ConcurrentSkipListMap<>();

  /** A counter family: only goes up. Names should end in {@code _total}. */
  public Counter counter(String name, String help, String... labelNames) {
    return register(name, () -> new Counter(name, help, List.of(labelNames)), Counter.class, labelNames);
  }

  /** A gauge family whose values are set explicitly, per label values. */
  public Gauge gauge(String name, String help, String... labelNames) {
    return register(name, () -> new Gauge(name, help, List.of(labelNames)), Gauge.class, labelNames);
  }

  /** A gauge without labels whose value is read at each scrape. */
  public void gauge(String name, String help, DoubleSupplier value) {
    register(name, () -> new Gauge(name, help, List.of(), value), Gauge.class);
  }

  /** Every metric in the Prometheus text format, sorted by name. */
  public String scrape() {
    StringBuilder out = new StringBuilder();
    metrics.values().forEach(m -> m.writeTo(out));
    return out.toString();
  }

  private <M extends Metric> M register(String name, java.util.function.Supplier<M> make, Class<M> type,
      String... labelNames) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a Prometheus metric name");
    }
    for (String label : labelNames) {
      if (!NAME.matcher(label).matches() || label.startsWith("__")) {
        throw new IllegalArgumentException("'" + label + "' is not a Prometheus label name");
      }
    }
    Metric metric = metrics.computeIfAbsent(name, n -> make.get());
    if (!type.isInstance(metric) || !metric.labelNames().equals(List.of(labelNames))) {
      throw new IllegalArgumentException("metric " + name + " is already registered as a "
          + metric.getClass().getSimpleName().toLowerCase() + " with labels " + metric.labelNames());
    }
    return type.cast(metric);
  }

  /** One metric family: its samples by label values. */
  abstract static sealed class Metric permits Counter, Gauge {
    private final String name;
    private final String help;
    private final List<String> labelNames;
    final Map<List<String>, Double> samples = new ConcurrentHashMap<>();

    Metric(String name, String help, List<String> labelNames) {
      this.name = name;
      this.help = help;
      this.labelNames = List.copyOf(labelNames);
      if (labelNames.isEmpty()) {
        // A family without labels has exactly one sample, there from the start.
        samples.put(List.of(), 0.0);
      }
    }

    List<String> labelNames() {
      return labelNames;
    }

    List<String> key(String... values) {
      if (values.length != labelNames.size()) {
        throw new IllegalArgumentException(name + " has labels " + labelNames + ", given " + values.length + " values");
      }
      return List.of(values);
    }

    abstract String type();

    Map<List<String>, Double> current() {
      return samples;
    }

    void writeTo(StringBuilder out) {
      out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
      out.append("# TYPE ").append(name).append(' ').append(type()).append('\n');
      List<Map.Entry<List<String>, Double>> sorted = new ArrayList<>(current().entrySet());
      sorted.sort(Map.Entry.comparingByKey((a, b) -> String.join("\0", a).compareTo(String.join("\0", b))));
      for (Map.Entry<List<String>, Double> sample : sorted) {
        out.append(name);
        if (!labelNames.isEmpty()) {
          out.append('{');
          for (int i = 0; i < labelNames.size(); i++) {
            out.append(i == 0 ? "" : ",").append(labelNames.get(i)).append("=\"")
                .append(escape(sample.getKey().get(i))).append('"');
          }
          out.append('}');
        }
        out.append(' ').append(format(sample.getValue())).append('\n');
      }
    }

    private static String escape(String value) {
      return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double value) {
      return value == Math.rint(value) && !Double.isInfinite(value) ? Long.toString((long) value) : Double.toString(value);
    }
  }
}
