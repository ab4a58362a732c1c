package dev.ferry.agent.transfer;

import java.time.Duration;

/**
 * How far a stream has come: bytes moved and for how long.
 *
 * @param dataset the dataset being transferred
 * @param bytes bytes counted on the stream so far
 * @param elapsed time since the stream started
 */
public record TransferProgress(String dataset, long bytes, Duration elapsed) {

  /** Average rate since the start; 0 before any time has passed. */
  public double bytesPerSecond() {
    long nanos = elapsed.toNanos();
    return nanos == 0 ? 0 : bytes * 1e9 / nanos;
  }

  @Override
  public String toString() {
    return String.format("%s: %d bytes in %.1f s (%.1f MiB/s)", dataset, bytes, elapsed.toNanos() / 1e9,
        bytesPerSecond() / (1 << 20));
  }
}
