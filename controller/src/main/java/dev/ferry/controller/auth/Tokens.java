package dev.ferry.controller.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer tokens the API accepts. Tokens are kept only as SHA-256 digests, and a lookup
 * hashes what the client sent first, so that neither memory dumps nor response timing reveal a
 * token's characters.
 */
public final class Tokens {

  private final Map<String, Principal> byDigest;

  private Tokens(Map<String, Principal> byDigest) {
    this.byDigest = Map.copyOf(byDigest);
  }

  /** Tokens from {@code token -> principal}. */
  public static Tokens of(Map<String, Principal> tokens) {
    Map<String, Principal> digests = new HashMap<>();
    tokens.forEach((token, principal) -> digests.put(digest(token), principal));
    return new Tokens(digests);
  }

  /** Who {@code token} belongs to, if anyone. */
  public Optional<Principal> authenticate(String token) {
    return token.isEmpty() ? Optional.empty() : byFingerprint(fingerprint(token));
  }

  /**
   * A token's SHA-256, what a long-lived session keeps to check later that its token is still
   * valid ({@link #byFingerprint}) without keeping the token.
   */
  public static String fingerprint(String token) {
    return digest(token);
  }

  /** Who the token with {@code fingerprint} belongs to, if it is (still) one of these. */
  public Optional<Principal> byFingerprint(String fingerprint) {
    return Optional.ofNullable(byDigest.get(fingerprint));
  }

  public int size() {
    return byDigest.size();
  }

  private static String digest(String token) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
