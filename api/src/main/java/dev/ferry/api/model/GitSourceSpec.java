package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;

/**
 * A git repository to sync manifests from.
 *
 * @param url anything JGit can clone, without credentials ({@link GitUrls}); {@code file://}
 *     only where the controller's configuration allows it
 * @param branch the older way to name a branch; empty when {@code ref} is given (never both)
 * @param ref the branch, tag or commit to follow; see {@link #followed()}
 * @param path the folder in the repository that holds the manifests
 * @param interval how often to poll, from {@link #MIN_INTERVAL} to {@link #MAX_INTERVAL}
 * @param prune delete objects this source applied that left git
 * @param selfHeal put back objects that were changed outside git
 * @param suspend while true, no sync runs (not even one asked for); false resumes
 * @param secretRef the credentials and webhook secret, by name; {@link GitSecretRef#NONE} for none
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GitSourceSpec(String url, String branch,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Unset.class) GitRef ref,
    String path, Duration interval,
    @JsonInclude(JsonInclude.Include.ALWAYS) boolean prune,
    @JsonInclude(JsonInclude.Include.ALWAYS) boolean selfHeal,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean suspend,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Unset.class) GitSecretRef secretRef) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  public static final Duration MAX_INTERVAL = Duration.ofHours(24);

  public GitSourceSpec {
    ref = ref == null ? new GitRef("", "", "") : ref;
    branch = branch == null ? (ref.isEmpty() ? "main" : "") : branch;
    path = path == null ? "." : path;
    interval = interval == null ? DEFAULT_INTERVAL : interval;
    secretRef = secretRef == null ? GitSecretRef.NONE : secretRef;
  }

  /**
   * A Jackson value filter that leaves an unset {@code ref} or {@code secretRef} out of the
   * written object, so that it reads back as written ({@code ref: {}} would be refused).
   */
  static final class Unset {
    @Override
    public boolean equals(Object value) {
      return value == null || value instanceof GitRef r && r.isEmpty() || value instanceof GitSecretRef s && s.isEmpty();
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  /** A public branch, as before refs, suspend and credentials. */
  public GitSourceSpec(String url, String branch, String path, Duration interval, boolean prune, boolean selfHeal) {
    this(url, branch, null, path, interval, prune, selfHeal, false, null);
  }

  /** What this source follows: {@code ref} when given, else {@code branch} ({@code main} by default). */
  @JsonIgnore
  public GitRef followed() {
    return ref.isEmpty() ? GitRef.branch(branch) : ref;
  }
}
