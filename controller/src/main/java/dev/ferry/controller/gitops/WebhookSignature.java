package dev.ferry.controller.gitops;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Whether a webhook call comes from someone who knows the GitSource's webhook secret, the way
 * the git hosts sign them: GitHub's (and Gitea's, Forgejo's) {@code X-Hub-Signature-256:
 * sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>}, or GitLab's
 * {@code X-Gitlab-Token: <the secret>}. Comparisons take the same time however much matches.
 * Pure: the caller reads the secret and the body.
 */
public final class WebhookSignature {

  public static final String GITHUB = "X-Hub-Signature-256";
  public static final String GITLAB = "X-Gitlab-Token";

  private WebhookSignature() {}

  /**
   * Why the call is refused, or empty when it is signed with {@code secret}. A GitHub signature
   * is checked when present, else a GitLab token; an empty secret refuses everything.
   *
   * @param header a request header by name, null when absent
   */
  public static Optional<String> problem(String secret, Function<String, String> header, byte[] body) {
    if (secret.isEmpty()) {
      return Optional.of("the GitSource has no webhook secret");
    }
    String github = header.apply(GITHUB);
    if (github != null) {
      return matchesHmac(secret, github, body) ? Optional.empty() : Optional.of(GITHUB + " does not match");
    }
    String gitlab = header.apply(GITLAB);
    if (gitlab != null) {
      return MessageDigest.isEqual(gitlab.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))
          ? Optional.empty() : Optional.of(GITLAB + " does not match");
    }
    return Optional.of("neither " + GITHUB + " nor " + GITLAB + " is given");
  }

  /** {@code sha256=<hex>} as GitHub sends it for {@code body}. */
  public static String github(String secret, byte[] body) {
    return "sha256=" + HexFormat.of().formatHex(hmac(secret, body));
  }

  private static boolean matchesHmac(String secret, String signature, byte[] body) {
    if (!signature.startsWith("sha256=")) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(signature.substring("sha256=".length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, hmac(secret, body));
  }

  private static byte[] hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java", e);
    }
  }
}
