package dev.ferry.controller.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens file, read again when its content changes, so that a token removed from it stops
 * working within {@link #INTERVAL} (the controller calls {@link #reload} that often). A file that
 * no longer reads or parses leaves the tokens as they were and is logged as an error at every
 * check until it is fixed: a typo must not lock every user out, and the log says the revocation
 * did not happen. Thread-safe.
 */
public final class ReloadingTokens implements Supplier<Tokens> {

  /** How often the file is looked at. */
  public static final Duration INTERVAL = Duration.ofSeconds(2);
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingTokens.class);

  private final Path file;
  private volatile Tokens current;
  private byte[] digest;

  private ReloadingTokens(Path file, Tokens tokens, byte[] digest) {
    this.file = file;
    this.current = tokens;
    this.digest = digest;
  }

  /**
   * Reads the file for the first time. Blocking.
   *
   * @throws IllegalArgumentException when the file does not parse ({@link TokenFile#parse})
   * @throws java.io.UncheckedIOException when it cannot be read
   */
  public static ReloadingTokens read(Path file) {
    byte[] bytes = bytes(file);
    return new ReloadingTokens(file, TokenFile.parse(file.toString(), text(bytes)), sha256(bytes));
  }

  @Override
  public Tokens get() {
    return current;
  }

  /**
   * Reads the file again and takes its tokens when its content changed and it parses. Blocking.
   *
   * @return whether the tokens changed
   */
  public synchronized boolean reload() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      LOG.error("cannot read the tokens file {} again ({}): the tokens read before stay valid", file, e.toString());
      return false;
    }
    byte[] now = sha256(bytes);
    if (MessageDigest.isEqual(now, digest)) {
      return false;
    }
    try {
      Tokens tokens = TokenFile.parse(file.toString(), text(bytes));
      current = tokens;
      digest = now;
      LOG.info("tokens file {} changed: {} tokens now", file, tokens.size());
      return true;
    } catch (IllegalArgumentException e) {
      LOG.error("{}: the tokens read before stay valid until the file is fixed", e.getMessage());
      return false;
    }
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the tokens file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
