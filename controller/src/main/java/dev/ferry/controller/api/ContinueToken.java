package dev.ferry.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * A list's {@code continue} token: opaque to clients, it carries the kind listed, the etcd
 * revision every page of the list is read at, and the last name the previous page examined.
 * Base64url of a small JSON object, as Kubernetes' own.
 *
 * <p>A token is not a secret and not signed: forging one only lists what the caller may list
 * anyway. It is checked strictly all the same, so that a garbled or forged one is a 400 naming
 * {@code continue}, not a read of something else: the kind must be the route's, the revision a
 * positive number, the name one that can be a key.
 */
record ContinueToken(String kind, long revision, String after) {

  /** Longer than any token this server makes: a longer one is refused before it is decoded. */
  static final int MAX_LENGTH = 1024;
  private static final int VERSION = 1;
  private static final int MAX_NAME = 253;
  private static final Set<String> FIELDS = Set.of("v", "kind", "rv", "after");

  String encode() {
    ObjectNode json = Json.json().createObjectNode().put("v", VERSION).put("kind", kind).put("rv", revision)
        .put("after", after);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The token a client sent back for a list of {@code kind}.
   *
   * @throws IllegalArgumentException saying what is wrong with it, naming {@code continue}
   */
  static ContinueToken decode(String token, Kind<?, ?, ?> kind) {
    if (token.isEmpty() || token.length() > MAX_LENGTH) {
      throw invalid("it is empty or longer than " + MAX_LENGTH + " characters");
    }
    JsonNode json;
    try {
      json = Json.json().readTree(Base64.getUrlDecoder().decode(token));
    } catch (IllegalArgumentException | IOException e) {
      throw invalid("it is not a token this server made");
    }
    if (json == null || !json.isObject() || !fieldNames(json).equals(FIELDS)
        || json.path("v").asInt() != VERSION || !json.path("kind").isTextual() || !json.path("rv").isIntegralNumber()
        || !json.path("after").isTextual()) {
      throw invalid("it is not a token this server made");
    }
    if (!json.path("kind").asText().equals(kind.plural())) {
      throw invalid("it continues a list of " + json.path("kind").asText() + ", not of " + kind.plural());
    }
    long revision = json.path("rv").asLong();
    String after = json.path("after").asText();
    if (revision < 1 || !json.path("rv").canConvertToLong()) {
      throw invalid("its revision is not a positive number");
    }
    if (after.isEmpty() || after.length() > MAX_NAME || after.contains("/") || after.chars().anyMatch(c -> c < 0x20)) {
      throw invalid("its position is not an object name");
    }
    return new ContinueToken(kind.plural(), revision, after);
  }

  private static Set<String> fieldNames(JsonNode json) {
    Set<String> names = new HashSet<>();
    json.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("continue: invalid token (" + why + "); pass back the metadata.continue"
        + " of the previous page unchanged, or list again without continue");
  }
}
