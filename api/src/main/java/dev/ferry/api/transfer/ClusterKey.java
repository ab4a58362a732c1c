package dev.ferry.api.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret the controller and all agents share to sign and check transfer tickets
 * (HMAC-SHA256). At least 32 bytes, so that it is as strong as the MAC.
 */
public final class ClusterKey {

  public static final int MIN_BYTES = 32;
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

  /** Reads a key file; surrounding whitespace (a trailing newline) is not part of the key. */
  public static ClusterKey fromFile(Path file) {
    try {
      return new ClusterKey(Files.readString(file).strip().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the cluster key file " + file, e);
    }
  }

  /** A fresh random key, for tests and for `ferry up`. */
  public static ClusterKey random() {
    byte[] bytes = new byte[MIN_BYTES];
    new SecureRandom().nextBytes(bytes);
    return new ClusterKey(bytes);
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
