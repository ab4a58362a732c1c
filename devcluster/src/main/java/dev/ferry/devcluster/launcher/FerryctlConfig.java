package dev.ferry.devcluster.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.codec.ManifestReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * ferryctl's config file ({@code $FERRY_CONFIG}, else {@code ~/.ferry/config}), YAML:
 *
 * <pre>
 * current-context: devcluster
 * contexts:
 * - name: devcluster
 *   server: https://127.0.0.1:7070
 *   token: 3f9c...          # a bearer token of the controller's tokens file
 *   certificate-authority: /.../.ferry/secrets/tls/ca.crt   # the CA the server's certificate is from
 * </pre>
 *
 * <p>{@code up} adds (or replaces) its context and makes it current; {@code down} removes that
 * context again and leaves every other one, and every other key, as it was. The file is
 * readable by its owner only, since it holds tokens.
 */
final class FerryctlConfig {

  private FerryctlConfig() {}

  /** Adds the context; {@code certificateAuthority} is empty for a plain-HTTP server. */
  static void putContext(Path file, String name, String server, String token, Optional<Path> certificateAuthority) {
    ObjectNode root = read(file);
    ArrayNode contexts = withoutContext(root, name);
    ObjectNode context = contexts.addObject().put("name", name).put("server", server).put("token", token);
    certificateAuthority.ifPresent(ca -> context.put("certificate-authority", ca.toString()));
    root.put("current-context", name);
    write(file, root);
  }

  /** Removes the context {@code name}; deletes the file when nothing else is left in it. */
  static void removeContext(Path file, String name) {
    if (!Files.exists(file)) {
      return;
    }
    ObjectNode root = read(file);
    ArrayNode contexts = withoutContext(root, name);
    if (name.equals(root.path("current-context").asText())) {
      root.remove("current-context");
    }
    if (contexts.isEmpty()) {
      root.remove("contexts");
    }
    if (root.isEmpty()) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + file, e);
      }
    } else {
      write(file, root);
    }
  }

  static boolean hasContext(Path file, String name) {
    if (!Files.exists(file)) {
      return false;
    }
    for (JsonNode context : read(file).path("contexts")) {
      if (name.equals(context.path("name").asText())) {
        return true;
      }
    }
    return false;
  }

  private static ArrayNode withoutContext(ObjectNode root, String name) {
    ArrayNode kept = JsonNodeFactory.instance.arrayNode();
    for (JsonNode context : root.path("contexts")) {
      if (!name.equals(context.path("name").asText())) {
        kept.add(context);
      }
    }
    root.set("contexts", kept);
    return kept;
  }

  private static ObjectNode read(Path file) {
    if (!Files.exists(file)) {
      return JsonNodeFactory.instance.objectNode();
    }
    try {
      String text = Files.readString(file);
      if (text.isBlank()) {
        return JsonNodeFactory.instance.objectNode();
      }
      JsonNode root = new ManifestReader().readOne(text);
      if (!(root instanceof ObjectNode object)) {
        throw new IllegalStateException(file + " is not a ferryctl config (a YAML mapping with contexts)");
      }
      return object;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot read the ferryctl config " + file + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path file, ObjectNode root) {
    try {
      ClusterSecrets.writePrivate(file, Json.yaml().writeValueAsString(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + file, e);
    }
  }
}
