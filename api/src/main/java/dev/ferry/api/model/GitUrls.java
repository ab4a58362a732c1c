package dev.ferry.api.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a GitSource's URL may not carry: credentials. A URL such as
 * {@code https://user:token@host/repo.git} would show the token to everyone who may read the
 * GitSource, and in its status and the controller's log. Credentials come by reference instead.
 */
public final class GitUrls {

  /** scheme://userinfo@ : the part before the first '@' of the authority. */
  private static final Pattern USERINFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#@]*)@");

  private GitUrls() {}

  /**
   * Why {@code url} may not be used, if it carries credentials: any user part of an http(s)
   * URL (a token often goes there alone), a password in any other ({@code ssh://git@host} is
   * fine: that user is not a secret). The answer never repeats the URL.
   */
  public static Optional<String> credentialProblem(String url) {
    Matcher m = USERINFO.matcher(url);
    if (!m.find()) {
      return Optional.empty();
    }
    boolean http = m.group(1).equalsIgnoreCase("http") || m.group(1).equalsIgnoreCase("https");
    if (http || m.group(2).contains(":")) {
      return Optional.of("must not hold credentials (" + (http ? "user@ or user:token@" : "user:password@")
          + " in the URL): they would show in the GitSource, its status and the logs; give the URL without them");
    }
    return Optional.empty();
  }

  /**
   * Why {@code url} may not be used when local repositories are not {@code allowed}: a
   * {@code file://} URL reads any repository on the controller's own disk.
   */
  public static Optional<String> localProblem(String url, boolean allowed) {
    if (allowed || !url.regionMatches(true, 0, "file:", 0, 5)) {
      return Optional.empty();
    }
    return Optional.of("file:// repositories are not allowed on this controller (they read its own disk):"
        + " use http(s)://, ssh:// or git://, or set gitops.allowFileUrls in the controller's configuration");
  }

  /** {@code text} with the user part of {@code url} replaced by {@code ***}, wherever it appears. */
  public static String redact(String text, String url) {
    Matcher m = USERINFO.matcher(url);
    if (!m.find() || m.group(2).isEmpty()) {
      return text;
    }
    return text.replace(m.group(2) + "@", "***@");
  }
}
