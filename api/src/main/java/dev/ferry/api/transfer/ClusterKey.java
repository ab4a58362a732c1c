package dev.ferry.api.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret the controller and all agents share (and nobody else holds). Every MAC Ferry makes
 * with it (transfer tickets, agent requests, transfer receipts) uses a key of its own derived from
 * this one ({@link #derive}), so that a value made for one purpose never passes for another.
 *
 * <p>Its strength is counted in bytes of key, not in characters of the file: the key file holds
 * at least {@value #MIN_BYTES} random bytes written as hex ({@code openssl rand -hex 32}).
 */
public final class ClusterKey {

  public static final int MIN_BYTES = 32;
  /**
   * Fewer distinct byte values than this in a key of {@value #MIN_BYTES} bytes or more means it
   * was typed or patterned, not drawn at random (32 random bytes show about 30).
   */
  static final int MIN_DISTINCT_BYTES = 16;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  private ClusterKey(byte[] bytes) {
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException("a cluster key needs at least " + MIN_BYTES + " bytes, got " + bytes.length);
    }
    this.key = new SecretKeySpec(Arrays.copyOf(bytes, bytes.length), ALGORITHM);
  }

  public static ClusterKey of(byte[] bytes) {
    return new ClusterKey(bytes);
  }

  /**
   * Reads a key file: hex digits, at least {@value #MIN_BYTES} bytes' worth (64 digits); surrounding
   * whitespace (a trailing newline) is not part of the key.
   *
   * @throws IllegalArgumentException when the file is not hex, too short, or too regular to be random
   */
  public static ClusterKey fromFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the cluster key file " + file, e);
    }
    return fromHex(text);
  }

  /** A key written as hex digits, checked as {@link #fromFile} says. */
  public static ClusterKey fromHex(String text) {
    String advice = ": write " + MIN_BYTES + " random bytes as hex, e.g. `openssl rand -hex " + MIN_BYTES + "`";
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the cluster key is not hex digits" + advice);
    }
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException("the cluster key holds " + bytes.length + " bytes (" + text.length()
          + " hex digits), fewer than " + MIN_BYTES + advice);
    }
    long distinct = IntStream.range(0, bytes.length).map(i -> bytes[i]).distinct().count();
    if (distinct < MIN_DISTINCT_BYTES) {
      throw new IllegalArgumentException("the cluster key repeats a few byte values (" + distinct
          + " distinct): it is not random" + advice);
    }
    return new ClusterKey(bytes);
  }

  /** A fresh random key, for tests. */
  public static ClusterKey random() {
    byte[] bytes = new byte[MIN_BYTES];
    new SecureRandom().nextBytes(bytes);
    return new ClusterKey(bytes);
  }

  /** The key for one {@code purpose}: HMAC of the purpose's name under this key. */
  ClusterKey derive(String purpose) {
    return new ClusterKey(mac(purpose.getBytes(StandardCharsets.UTF_8)));
  }

  byte[] mac(byte[] message) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(message);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "ClusterKey[redacted]";
  }
}
