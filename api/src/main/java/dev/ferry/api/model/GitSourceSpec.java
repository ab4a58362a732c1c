package dev.ferry.api.model;

import java.time.Duration;

/**
 * A git repository to sync manifests from.
 *
 * @param url anything JGit can clone, without credentials ({@link GitUrls}); {@code file://}
 *     only where the controller's configuration allows it
 * @param path the folder in the repository that holds the manifests
 * @param interval how often to poll, from {@link #MIN_INTERVAL} to {@link #MAX_INTERVAL}
 * @param prune delete objects this source applied that left git
 * @param selfHeal put back objects that were changed outside git
 */
public record GitSourceSpec(String url, String branch, String path, Duration interval, boolean prune, boolean selfHeal) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  public static final Duration MAX_INTERVAL = Duration.ofHours(24);

  public GitSourceSpec {
    branch = branch == null ? "main" : branch;
    path = path == null ? "." : path;
    interval = interval == null ? DEFAULT_INTERVAL : interval;
  }
}
