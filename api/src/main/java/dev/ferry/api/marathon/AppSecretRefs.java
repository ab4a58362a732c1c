package dev.ferry.api.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Marathon's own secret shape in an app definition, as Ferry reads it: {@code "env": {"DB_PASSWORD":
 * {"secret": "pw"}}} refers to {@code "secrets": {"pw": {"source": "todos-db/password"}}}, and the
 * source names a file in the controller's app secrets directory ({@code secretsDir}): one or two
 * path segments, as a mounted Kubernetes Secret is laid out (a folder per secret, a file per key).
 * Only the names are stored in etcd; the controller reads the value when it writes the app to
 * Marathon, so no token of Ferry's API ever reads it.
 */
public final class AppSecretRefs {

  /** A segment of a source: no leading dot (so no {@code .}, {@code ..} or hidden files), no slash. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}");

  private AppSecretRefs() {}

  /** What is wrong with a secret's {@code source}, empty when it is a name the controller can look up. */
  public static Optional<String> checkSource(String source) {
    String[] segments = source.split("/", -1);
    if (segments.length > 2) {
      return Optional.of("must be NAME or NAME/KEY (a file, or a key in a folder, of the controller's secretsDir),"
          + " not a deeper path");
    }
    for (String s : segments) {
      if (!SEGMENT.matcher(s).matches()) {
        return Optional.of("must be NAME or NAME/KEY, each of letters, digits, '_', '.' and '-', not starting with"
            + " '.' or '-' (a file, or a key in a folder, of the controller's secretsDir)");
      }
    }
    return Optional.empty();
  }

  /**
   * The env variables of a Marathon app that refer to a secret, by variable, with the secret's
   * name; plain string values are left out.
   */
  public static Map<String, String> envReferences(JsonNode app) {
    Map<String, String> refs = new LinkedHashMap<>();
    app.path("env").properties().forEach(e -> {
      if (e.getValue().isObject() && e.getValue().path("secret").isTextual()) {
        refs.put(e.getKey(), e.getValue().get("secret").asText());
      }
    });
    return refs;
  }

  /** Whether the app declares or refers to any secret: then the controller has something to resolve. */
  public static boolean any(JsonNode app) {
    return app.has("secrets") || !envReferences(app).isEmpty();
  }
}
