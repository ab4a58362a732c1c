package dev.ferry.api.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One process's metrics (the controller's or a node agent's): a Micrometer registry that the
 * process's parts add their meters to, with the JVM's and the process's own metrics (memory, GC,
 * threads, class loading, CPU, file descriptors, uptime) bound from the start, served as
 * Prometheus text by {@link #scrape}. Micrometer names {@code ferry.api.requests} as Prometheus'
 * {@code ferry_api_requests_total}; every metric is listed in {@code docs/metrics.md}.
 *
 * <p>{@link #close} stops the GC listener; meters read after it still answer.
 */
public final class PrometheusMetrics implements AutoCloseable {

  /** The content type of {@link #scrape}'s text. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public PrometheusMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Where meters are registered. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Every meter, in Prometheus' text format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
  }
}
