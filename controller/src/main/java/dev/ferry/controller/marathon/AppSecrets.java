package dev.ferry.controller.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.marathon.AppSecretRefs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the secrets an app's env refers to ({@link AppSecretRefs}) from the controller's secrets
 * directory, right before the app is written to Marathon: the app Marathon gets has the values
 * in {@code env} and no {@code secrets} (devcluster, like Marathon without a secret store, hands
 * plain env to the task). The StatefulApp in etcd, and so every answer of the API and the watch,
 * holds only the names.
 *
 * <p>A source is looked up inside the directory only: its real path (after symlinks, which a
 * mounted Kubernetes Secret uses) must stay in it, it must be a regular file of at most
 * {@link #MAX_BYTES}, UTF-8 without NUL. One trailing newline (as {@code echo} writes) is dropped.
 */
public final class AppSecrets {

  /** More than any password or token; an env variable is no place for a bigger file. */
  static final int MAX_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final Optional<Path> dir;

  /**
   * @param vertx for the file reads, which run on a worker
   * @param dir the secrets directory ({@code secretsDir}); empty when the controller has none, and
   *     then every app that refers to a secret is refused with a condition saying so
   */
  public AppSecrets(Vertx vertx, Optional<Path> dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  /** No secrets directory: apps without secret references pass unchanged, the others are refused. */
  public static AppSecrets none() {
    return new AppSecrets(null, Optional.empty());
  }

  /**
   * The app as Marathon gets it, with every secret reference in env replaced by the secret's
   * value. An app without references is returned as it is, without a worker.
   *
   * @return failed with {@link AppSecretException} naming the field when a secret cannot be read
   */
  public Future<ObjectNode> resolve(ObjectNode app) {
    if (!AppSecretRefs.any(app)) {
      return Future.succeededFuture(app);
    }
    if (vertx == null) {
      return Future.failedFuture(noDirectory(app));
    }
    return vertx.executeBlocking(() -> resolveNow(app), false);
  }

  /** {@link #resolve}'s work, on the calling thread (blocking file reads). */
  ObjectNode resolveNow(ObjectNode app) {
    ObjectNode out = app.deepCopy();
    out.remove("secrets");
    JsonNode secrets = app.path("secrets");
    for (Map.Entry<String, String> ref : AppSecretRefs.envReferences(app).entrySet()) {
      String field = "spec.app.env." + ref.getKey() + ".secret";
      JsonNode declared = secrets.path(ref.getValue());
      if (!declared.path("source").isTextual()) {
        throw new AppSecretException(field, "names secret '" + ref.getValue() + "', which spec.app.secrets does not declare");
      }
      String source = declared.get("source").asText();
      String sourceField = "spec.app.secrets." + ref.getValue() + ".source";
      ((ObjectNode) out.get("env")).put(ref.getKey(), read(sourceField, source));
    }
    return out;
  }

  /**
   * The app without what {@link #resolve} changes (the referring env variables and
   * {@code secrets}), to compare with what Marathon holds: Marathon has the values, the desired
   * app the names. A value changed behind Marathon's back is therefore not seen as drift.
   */
  public static ObjectNode withoutSecrets(ObjectNode app) {
    ObjectNode out = app.deepCopy();
    out.remove("secrets");
    if (out.get("env") instanceof ObjectNode env) {
      env.remove(AppSecretRefs.envReferences(app).keySet());
    }
    return out;
  }

  private AppSecretException noDirectory(ObjectNode app) {
    String name = AppSecretRefs.envReferences(app).values().stream().findFirst()
        .orElse(app.path("secrets").fieldNames().hasNext() ? app.path("secrets").fieldNames().next() : "");
    return new AppSecretException("spec.app.secrets." + name + ".source", "this controller has no secrets directory"
        + " (secretsDir in its configuration), so it cannot read the secret");
  }

  private String read(String field, String source) {
    if (dir.isEmpty()) {
      throw new AppSecretException(field, "this controller has no secrets directory (secretsDir in its configuration),"
          + " so it cannot read " + source);
    }
    Optional<String> malformed = AppSecretRefs.checkSource(source);
    if (malformed.isPresent()) {
      throw new AppSecretException(field, malformed.get());
    }
    try {
      Path root = dir.get().toRealPath();
      Path file = root.resolve(source).toRealPath();
      // A symlink may point anywhere: only what it leads to inside the directory counts.
      if (!file.startsWith(root) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new AppSecretException(field, "no secret " + source + " in the controller's secrets directory");
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_BYTES + 1);
      }
      if (bytes.length > MAX_BYTES) {
        throw new AppSecretException(field, "secret " + source + " holds more than " + MAX_BYTES + " bytes: too big for"
            + " an env variable");
      }
      String value = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
      value = value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
          : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
      if (value.indexOf('\0') >= 0) {
        throw new AppSecretException(field, "secret " + source + " holds a NUL byte, which no env variable can");
      }
      return value;
    } catch (NoSuchFileException e) {
      throw new AppSecretException(field, "no secret " + source + " in the controller's secrets directory");
    } catch (CharacterCodingException e) {
      throw new AppSecretException(field, "secret " + source + " is not UTF-8 text");
    } catch (IOException e) {
      // The message may hold a path; the exception's class says enough and leaks nothing.
      throw new AppSecretException(field, "cannot read secret " + source + ": " + e.getClass().getSimpleName());
    }
  }
}
