package dev.ferry.example;

import dev.ferry.api.marathon.MarathonCredentials;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The app's settings, from its environment (Marathon's for a task):
 *
 * <pre>
 * HOST, PORT0                      where to listen (default 127.0.0.1:8000)
 * FERRY_MARATHON_URL, MARATHON_URL Marathon, to find the database (default http://127.0.0.1:8080)
 * FERRY_MARATHON_CREDENTIALS_FILE  a file of one user:password line, when Marathon wants basic
 *                                  authentication (devcluster under ./ferry up does)
 * TODOS_DB_APP                     the database's Marathon app id (default /todos-db)
 * TODOS_DB_DEADLINE_SECONDS        how long a request waits for a moving database (default 120)
 * </pre>
 */
public record ExampleConfig(String host, int port, URI marathon, Optional<MarathonCredentials> marathonCredentials,
    String databaseApp, Duration databaseDeadline) {

  public static ExampleConfig fromEnvironment(Map<String, String> env) {
    String host = env.getOrDefault("HOST", "127.0.0.1");
    int port = number(env, "PORT0", 8000);
    URI marathon = URI.create(Optional.ofNullable(env.get("FERRY_MARATHON_URL"))
        .or(() -> Optional.ofNullable(env.get("MARATHON_URL"))).orElse("http://127.0.0.1:8080"));
    Optional<MarathonCredentials> credentials = Optional.ofNullable(env.get(MarathonCredentials.FILE_VARIABLE))
        .filter(f -> !f.isBlank()).map(f -> {
          try {
            return MarathonCredentials.read(Path.of(f));
          } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(MarathonCredentials.FILE_VARIABLE + ": " + e.getMessage(), e);
          }
        });
    String app = env.getOrDefault("TODOS_DB_APP", "/todos-db");
    return new ExampleConfig(host, port, marathon, credentials, app,
        Duration.ofSeconds(number(env, "TODOS_DB_DEADLINE_SECONDS", 120)));
  }

  private static int number(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not '" + value + "'", e);
    }
  }
}
