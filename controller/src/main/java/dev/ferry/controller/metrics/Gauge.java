package dev.ferry.controller.metrics;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * A gauge family from {@link MetricsRegistry#gauge}: values set per label values, or (without
 * labels) read from a supplier at each scrape.
 */
public final class Gauge extends MetricsRegistry.Metric {

  private final Optional<DoubleSupplier> reader;

  Gauge(String name, String help, List<String> labelNames) {
    super(name, help, labelNames);
    this.reader = Optional.empty();
  }

  Gauge(String name, String help, List<String> labelNames, DoubleSupplier reader) {
    super(name, help, labelNames);
    this.reader = Optional.of(reader);
  }

  public void set(double value, String... labelValues) {
    samples.put(key(labelValues), value);
  }

  public void add(double delta, String... labelValues) {
    samples.merge(key(labelValues), delta, Double::sum);
  }

  public double value(String... labelValues) {
    return reader.map(DoubleSupplier::getAsDouble).orElseGet(() -> samples.getOrDefault(key(labelValues), 0.0));
  }

  @Override
  Map<List<String>, Double> current() {
    return reader.<Map<List<String>, Double>>map(r -> Map.of(List.of(), r.getAsDouble())).orElse(samples);
  }

  @Override
  String type() {
    return "gauge";
  }
}
