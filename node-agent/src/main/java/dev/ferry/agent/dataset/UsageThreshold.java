package dev.ferry.agent.dataset;

import dev.ferry.api.model.DatasetCopy;
import java.time.Duration;
import java.time.Instant;

/**
 * When a copy's space figures alone are worth a write to its Dataset's status: a copy whose
 * used or available bytes moved by less than {@code bytes} since the last report, or whose last
 * report is younger than {@code minInterval}, is not reported again for its space (a change of
 * its snapshots, mount or readonly state always is). Without it every write an app makes would
 * write to etcd and wake every watcher of Datasets once per look; with it a quiet or slowly
 * growing dataset costs no write.
 *
 * <p>Agent settings {@code usageReportBytes} ({@code FERRY_USAGE_REPORT_BYTES}, a quantity,
 * {@value #DEFAULT_BYTES_TEXT} by default) and {@code usageReportInterval} ({@code
 * FERRY_USAGE_REPORT_INTERVAL}, {@value #DEFAULT_INTERVAL_TEXT} by default).
 *
 * @param bytes the smallest change of used or available bytes that is reported; positive
 * @param minInterval the least time between two reports of space alone
 */
public record UsageThreshold(long bytes, Duration minInterval) {

  static final String DEFAULT_BYTES_TEXT = "1Mi";
  static final String DEFAULT_INTERVAL_TEXT = "60s";
  public static final UsageThreshold DEFAULT = new UsageThreshold(1 << 20, Duration.ofSeconds(60));

  public UsageThreshold {
    if (bytes <= 0) {
      throw new IllegalArgumentException("the usage report threshold must be positive, got " + bytes);
    }
    if (minInterval.isNegative()) {
      throw new IllegalArgumentException("the usage report interval must not be negative, got " + minInterval);
    }
  }

  /**
   * Whether the space figures {@code usedBytes} and {@code availableBytes}, observed at {@code
   * now}, are to be written over {@code reported}.
   */
  public boolean due(DatasetCopy reported, long usedBytes, long availableBytes, Instant now) {
    boolean moved = Math.abs(usedBytes - reported.usedBytes()) >= bytes
        || Math.abs(availableBytes - reported.availableBytes()) >= bytes;
    boolean old = reported.reportedAt() == null || !now.isBefore(reported.reportedAt().plus(minInterval));
    return moved && old;
  }
}
