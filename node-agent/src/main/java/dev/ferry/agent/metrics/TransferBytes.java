package dev.ferry.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Bytes of {@code zfs send} streams as they move, counted chunk by chunk while a transfer runs
 * (not when it ends), so a long first copy shows its rate in {@code ferry_transfer_bytes_total}:
 * {@code direction="sent"} as read from {@code zfs send}, {@code "received"} as written into
 * {@code zfs receive}. No dataset label: the rate per node is what a dashboard needs, and the
 * Migration's status already has each migration's bytes.
 *
 * <p>Beside them, {@code ferry_transfer_busy_refusals_total}: streams this node refused because it
 * already received its most at once ({@code maxConcurrentReceives}); their senders send again.
 */
public record TransferBytes(Counter sent, Counter received, Counter busyRefusals) {

  public static TransferBytes register(MeterRegistry registry) {
    return new TransferBytes(counter(registry, "sent"), counter(registry, "received"),
        Counter.builder("ferry.transfer.busy.refusals")
            .description("Streams refused (429) because this node already received its most at once")
            .register(registry));
  }

  private static Counter counter(MeterRegistry registry, String direction) {
    return Counter.builder("ferry.transfer").baseUnit("bytes").tag("direction", direction)
        .description("Bytes of transfer streams sent or received by this node, counted as they stream")
        .register(registry);
  }
}
