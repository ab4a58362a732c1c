package dev.ferry.devcluster.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Turns a posted app into the canonical form Marathon stores and writes back
 * ({@code AppNormalization}): the id made absolute, defaults filled in, deprecated fields
 * ({@code ports}, {@code uris}, {@code ipAddress}, {@code container.docker.network} and
 * {@code container.docker.portMappings}) translated and dropped, empty omit-empty fields removed.
 */
public final class AppNormalizer {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> OMIT_EMPTY = List.of(
      "args", "constraints", "dependencies", "env", "fetch", "healthChecks", "readinessChecks", "secrets");

  private AppNormalizer() {}

  /** A normalised copy of {@code posted}; {@code id} is the id it is stored under. */
  public static ObjectNode normalize(ObjectNode posted, AppId id) {
    ObjectNode app = posted.deepCopy();
    app.put("id", id.path());
    translateDeprecated(app);
    defaults(app);
    for (String field : OMIT_EMPTY) {
      JsonNode value = app.get(field);
      if (value != null && (value.isNull() || value.isEmpty())) {
        app.remove(field);
      }
    }
    app.remove(List.of("ports", "uris", "ipAddress", "tasks", "deployments", "tasksRunning",
        "tasksStaged", "tasksHealthy", "tasksUnhealthy", "lastTaskFailure", "tasksStats"));
    return app;
  }

  private static void translateDeprecated(ObjectNode app) {
    if (app.has("ports") && !app.has("portDefinitions")) {
      ArrayNode defs = app.putArray("portDefinitions");
      app.get("ports").forEach(p -> defs.addObject().put("port", p.asInt()).put("protocol", "tcp"));
    }
    if (app.has("uris") && !app.has("fetch")) {
      ArrayNode fetch = app.putArray("fetch");
      app.get("uris").forEach(u -> fetch.addObject().put("uri", u.asText())
          .put("extract", true).put("executable", false).put("cache", false));
    }
    JsonNode docker = app.path("container").path("docker");
    if (docker instanceof ObjectNode dockerNode) {
      ObjectNode container = (ObjectNode) app.get("container");
      JsonNode mappings = dockerNode.remove("portMappings");
      if (mappings != null && !container.has("portMappings")) {
        container.set("portMappings", mappings);
      }
      JsonNode network = dockerNode.remove("network");
      if (network != null && !app.has("networks")) {
        String mode = switch (network.asText()) {
          case "BRIDGE" -> "container/bridge";
          case "USER" -> "container";
          default -> "host";
        };
        app.putArray("networks").addObject().put("mode", mode);
      }
    }
  }

  private static void defaults(ObjectNode app) {
    putIfAbsent(app, "instances", F.numberNode(1));
    putIfAbsent(app, "cpus", F.numberNode(1));
    putIfAbsent(app, "mem", F.numberNode(128));
    putIfAbsent(app, "disk", F.numberNode(0));
    putIfAbsent(app, "gpus", F.numberNode(0));
    putIfAbsent(app, "executor", F.textNode(""));
    putIfAbsent(app, "backoffSeconds", F.numberNode(1));
    putIfAbsent(app, "backoffFactor", F.numberNode(1.15));
    putIfAbsent(app, "maxLaunchDelaySeconds", F.numberNode(300));
    putIfAbsent(app, "requirePorts", F.booleanNode(false));
    putIfAbsent(app, "killSelection", F.textNode("YOUNGEST_FIRST"));
    putIfAbsent(app, "labels", F.objectNode());
    putIfAbsent(app, "role", F.textNode("*"));
    putIfAbsent(app, "upgradeStrategy", F.objectNode()
        .put("minimumHealthCapacity", 1).put("maximumOverCapacity", 1));
    putIfAbsent(app, "unreachableStrategy", F.objectNode()
        .put("inactiveAfterSeconds", 0).put("expungeAfterSeconds", 0));
    if (!app.has("networks")) {
      app.putArray("networks").addObject().put("mode", "host");
    }
    boolean hostNetwork = app.get("networks").path(0).path("mode").asText("host").equals("host");
    if (hostNetwork && !app.has("portDefinitions")) {
      app.putArray("portDefinitions").addObject().put("port", 0).put("protocol", "tcp").put("name", "default");
    }
    app.path("portDefinitions").forEach(p -> {
      putIfAbsent((ObjectNode) p, "port", F.numberNode(0));
      putIfAbsent((ObjectNode) p, "protocol", F.textNode("tcp"));
    });
    app.path("healthChecks").forEach(h -> HealthCheckDefaults.apply((ObjectNode) h));
  }

  static void putIfAbsent(ObjectNode node, String field, JsonNode value) {
    if (!node.hasNonNull(field)) {
      node.set(field, value);
    }
  }
}
