package dev.ferry.controller.api;

import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a watch client asked for: {@code kind} (repeated or comma-separated; plural or kind
 * name; every kind if absent), {@code name}, {@code labelSelector} and {@code resourceVersion}
 * (0: list first and send the current objects as ADDED; N: send what changed after revision N).
 */
record WatchRequest(List<Kind<?, ?, ?>> kinds, Optional<String> name, LabelSelector selector, long resourceVersion) {

  WatchRequest {
    kinds = List.copyOf(kinds);
  }

  /**
   * Reads the query of {@code request}.
   *
   * @throws IllegalArgumentException naming the parameter that is wrong
   */
  static WatchRequest parse(HttpServerRequest request) {
    List<Kind<?, ?, ?>> kinds = new ArrayList<>();
    for (String value : request.params().getAll("kind")) {
      for (String word : value.split(",")) {
        if (!word.isBlank()) {
          Kind<?, ?, ?> kind = Kind.find(word.strip()).orElseThrow(() -> new IllegalArgumentException(
              "kind: no kind '" + word.strip() + "': use one of " + Kind.names()));
          if (!kinds.contains(kind)) {
            kinds.add(kind);
          }
        }
      }
    }
    Optional<String> name = Optional.ofNullable(request.getParam("name")).filter(n -> !n.isEmpty());
    LabelSelector selector = LabelSelector.parse(Optional.ofNullable(request.getParam("labelSelector")).orElse(""));
    String rv = Optional.ofNullable(request.getParam("resourceVersion")).orElse("0");
    long revision;
    try {
      revision = Long.parseLong(rv);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("resourceVersion must be a revision number, not '" + rv + "'");
    }
    if (revision < 0) {
      throw new IllegalArgumentException("resourceVersion must not be negative");
    }
    return new WatchRequest(kinds.isEmpty() ? Kind.ALL : kinds, name, selector, revision);
  }

  boolean resumes() {
    return resourceVersion > 0;
  }
}
