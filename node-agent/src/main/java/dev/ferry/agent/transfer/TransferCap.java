package dev.ferry.agent.transfer;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The node's cap on the bytes per second of all its outgoing streams together ({@code
 * transferMaxBytesPerSecond}): replication at full speed can starve the source's applications of
 * disk and network (zrepl#339). One {@link TokenBucket} is shared by every stream of the node;
 * its burst is a quarter of a second's worth, at least two chunks of a stream.
 *
 * <p>A stream's reader thread (its own thread, never an event loop) waits for each chunk before
 * passing it on, so a capped stream holds back {@code zfs send} through the pipe as the network
 * would. A stream that is {@code exempt} (the cut-over's final round, while the app is down)
 * never waits, but its bytes still count: the other streams wait for them afterwards.
 */
public final class TransferCap {

  private static final TransferCap UNLIMITED = new TransferCap(null);

  private final TokenBucket bucket;

  private TransferCap(TokenBucket bucket) {
    this.bucket = bucket;
  }

  /** No cap. */
  public static TransferCap unlimited() {
    return UNLIMITED;
  }

  /** A cap of {@code rate} bytes per second; 0 means no cap. */
  public static TransferCap bytesPerSecond(long rate) {
    return bytesPerSecond(rate, System::nanoTime);
  }

  static TransferCap bytesPerSecond(long rate, LongSupplier nanoTime) {
    if (rate < 0) {
      throw new IllegalArgumentException("a transfer cap cannot be negative, got " + rate);
    }
    return rate == 0 ? UNLIMITED : new TransferCap(new TokenBucket(rate, burst(rate), nanoTime));
  }

  /** A quarter of a second's bytes, and at least two chunks, so that one chunk never waits on an idle node. */
  static long burst(long rate) {
    return Math.max(rate / 4, 2L * InputStreamReadStream.CHUNK);
  }

  /** The cap in bytes per second, 0 when there is none. */
  public long bytesPerSecond() {
    return bucket == null ? 0 : bucket.rate();
  }

  /** The most bytes that pass at once on an idle node; 0 when there is no cap. */
  public long burstBytes() {
    return bucket == null ? 0 : bucket.burst();
  }

  /** How a stream of this node is paced: capped, or exempt (counted but never waiting). */
  InputStreamReadStream.Pace pace(boolean exempt) {
    if (bucket == null) {
      return InputStreamReadStream.Pace.NONE;
    }
    if (exempt) {
      return bucket::charge;
    }
    return bytes -> {
      long wait = bucket.reserve(bytes);
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    };
  }

  @Override
  public String toString() {
    return bucket == null ? "unlimited" : bucket.rate() + " bytes/s";
  }
}
