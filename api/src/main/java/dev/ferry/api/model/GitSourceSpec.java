package dev.ferry.api.model;

import java.time.Duration;

/**
 * A git repository to sync manifests from.
 *
 * @param url anything JGit can clone, {@code file://} included
 * @param path the folder in the repository that holds the manifests
 * @param interval how often to poll
 * @param prune delete objects this source applied that left git
 * @param selfHeal put back objects that were changed outside git
 */
public record GitSourceSpec(String url, String branch, String path, Duration interval, boolean prune, boolean selfHeal) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

  public GitSourceSpec {
    branch = branch == null ? "main" : branch;
    path = path == null ? "." : path;
    interval = interval == null ? DEFAULT_INTERVAL : interval;
  }
}
