package dev.ferry.controller.metrics;

import java.util.List;

/** A counter family from {@link MetricsRegistry#counter}; one value per combination of labels. */
public final class Counter extends MetricsRegistry.Metric {

  Counter(String name, String help, List<String> labelNames) {
    super(name, help, labelNames);
  }

  /** Adds one to the counter with these label values (in the order the labels were declared). */
  public void inc(String... labelValues) {
    add(1, labelValues);
  }

  public void add(double amount, String... labelValues) {
    if (amount < 0) {
      throw new IllegalArgumentException("a counter only goes up, not by " + amount);
    }
    samples.merge(key(labelValues), amount, Double::sum);
  }

  /** The current value, 0 if never counted. */
  public double value(String... labelValues) {
    return samples.getOrDefault(key(labelValues), 0.0);
  }

  @Override
  String type() {
    return "counter";
  }
}
