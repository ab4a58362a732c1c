package dev.ferry.api.marathon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The user and password of Marathon's HTTP basic authentication ({@code --http_credentials
 * user:password}): what a server checks and what a client sends. Written as {@code user:password}
 * on one line; the user cannot contain {@code ':'} (RFC 7617), the password may. Neither
 * {@link #toString()} nor any message of this class shows the password.
 */
public record MarathonCredentials(String user, String password) {

  /** The environment variable naming a credentials file, for every Ferry process and task that calls Marathon. */
  public static final String FILE_VARIABLE = "FERRY_MARATHON_CREDENTIALS_FILE";

  public MarathonCredentials {
    if (user == null || user.isEmpty() || user.contains(":")) {
      throw new IllegalArgumentException("the Marathon user must be non-empty and without ':'");
    }
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("the Marathon password must be non-empty");
    }
    if ((user + password).chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("Marathon credentials cannot hold control characters (a newline?)");
    }
  }

  /**
   * Parses {@code user:password}, splitting at the first {@code ':'}.
   *
   * @param source what to name in the error (a flag, a file), never the text itself
   */
  public static MarathonCredentials parse(String text, String source) {
    int colon = text.indexOf(':');
    if (colon < 1 || colon == text.length() - 1) {
      throw new IllegalArgumentException(source + " must be user:password (both non-empty)");
    }
    try {
      return new MarathonCredentials(text.substring(0, colon), text.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /** Reads a file of one {@code user:password} line; surrounding whitespace is not part of it. Blocking. */
  public static MarathonCredentials read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Marathon credentials file " + file, e);
    }
    return parse(text, "the Marathon credentials file " + file);
  }

  /** The {@code Authorization} header value a client sends. */
  public String authorization() {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether an {@code Authorization} header carries these credentials. The comparison takes the
   * same time wherever the given credentials differ and whatever their length: both sides are
   * hashed and the digests compared with {@link MessageDigest#isEqual}.
   */
  public boolean matches(String authorizationHeader) {
    if (authorizationHeader == null || authorizationHeader.length() > 4096
        || !authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(authorizationHeader.substring(6).strip());
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    byte[] expected = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(sha256(given), sha256(expected));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "MarathonCredentials[user=" + user + ", password=redacted]";
  }
}
