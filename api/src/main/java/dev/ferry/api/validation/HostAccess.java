package dev.ferry.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What in a Marathon app definition reaches past the app's own container and dataset into the
 * agent it runs on: a privileged Docker container, Docker CLI parameters other than a few
 * harmless ones, and volumes of host paths (Ferry mounts the app's dataset itself). Only an
 * admin may write such an app (docs/security.md); an {@code edit} token, and GitOps, may not.
 *
 * <p>Pure; the caller decides who is asking.
 */
public final class HostAccess {

  /**
   * Docker parameters that change nothing about what the container can reach. Anything else
   * ({@code cap-add}, {@code device}, {@code volume}, {@code pid}, {@code security-opt}, ...)
   * is an admin's to allow; an allowlist, because Docker keeps adding flags.
   */
  static final Set<String> HARMLESS_DOCKER_PARAMETERS = Set.of(
      "label", "log-driver", "log-opt", "hostname", "workdir", "env", "stop-signal", "stop-timeout");

  private static final FieldPath CONTAINER = FieldPath.of("spec").child("app").child("container");

  private HostAccess() {}

  /** Each field of the app definition {@code app} that needs an admin, with why; empty if none. */
  public static List<FieldError> check(JsonNode app) {
    List<FieldError> needs = new ArrayList<>();
    JsonNode container = app.path("container");
    JsonNode docker = container.path("docker");
    if (docker.path("privileged").asBoolean(false)) {
      needs.add(FieldError.at(CONTAINER.child("docker").child("privileged"),
          "a privileged container can do anything on the node: only an admin may run one"));
    }
    JsonNode parameters = docker.path("parameters");
    for (int i = 0; parameters.isArray() && i < parameters.size(); i++) {
      String key = parameters.get(i).path("key").asText("");
      if (!HARMLESS_DOCKER_PARAMETERS.contains(key)) {
        needs.add(FieldError.at(CONTAINER.child("docker").child("parameters").index(i).child("key"),
            "docker parameter '" + key + "' may reach past the container: only an admin may set it (allowed to "
                + "everyone: " + String.join(", ", HARMLESS_DOCKER_PARAMETERS.stream().sorted().toList()) + ")"));
      }
    }
    JsonNode volumes = container.path("volumes");
    for (int i = 0; volumes.isArray() && i < volumes.size(); i++) {
      if (volumes.get(i).has("hostPath")) {
        needs.add(FieldError.at(CONTAINER.child("volumes").index(i).child("hostPath"),
            "mounts a path of the node into the app: only an admin may; the app's data belongs in spec.dataset"));
      }
    }
    return needs;
  }
}
