package dev.ferry.devcluster.marathon;

import dev.ferry.api.marathon.MarathonCredentials;
import java.util.List;
import java.util.Optional;

/**
 * Who may use devcluster's API and under which names it is reached.
 *
 * @param credentials the one user of Marathon's basic authentication ({@code --http_credentials});
 *     empty only when {@link #unauthenticated()} was asked for explicitly
 * @param realm the realm named in {@code WWW-Authenticate} ({@code --http_realm}, Marathon's default
 *     {@code Mesosphere})
 * @param serverNames host names besides the bind address and loopback that requests may carry in
 *     their {@code Host} header: any other is refused, against DNS rebinding
 */
public record ApiAccess(Optional<MarathonCredentials> credentials, String realm, List<String> serverNames) {

  public static final String DEFAULT_REALM = "Mesosphere";

  public ApiAccess {
    serverNames = List.copyOf(serverNames);
    if (realm.isEmpty() || realm.contains("\"") || realm.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("--http_realm must be non-empty, without '\"' or control characters");
    }
  }

  /** Basic authentication with these credentials, Marathon's realm, no extra names. */
  public static ApiAccess authenticated(MarathonCredentials credentials) {
    return new ApiAccess(Optional.of(credentials), DEFAULT_REALM, List.of());
  }

  /** No authentication: anyone who can reach the port may run commands. Only on explicit request. */
  public static ApiAccess unauthenticated() {
    return new ApiAccess(Optional.empty(), DEFAULT_REALM, List.of());
  }
}
