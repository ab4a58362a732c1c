package dev.ferry.agent.transfer;

import java.time.Duration;

/**
 * A completed transfer, as the sender saw it.
 *
 * @param snapshot the snapshot the target now holds (its name on the target)
 * @param guid its guid, equal on both sides
 * @param bytes bytes of stream sent
 * @param elapsed from starting {@code zfs send} to the target's confirmation
 */
public record TransferResult(String snapshot, String guid, long bytes, Duration elapsed) {

  public double bytesPerSecond() {
    long nanos = elapsed.toNanos();
    return nanos == 0 ? 0 : bytes * 1e9 / nanos;
  }
}
