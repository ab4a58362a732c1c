package dev.ferry.controller.marathon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.ferry.api.codec.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.model.DatasetRef;
import dev.ferry.api.model.StatefulApp;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Builds the Marathon app that Ferry owns for a StatefulApp: the user's app definition plus
 * what Ferry adds (docs/architecture.md, "Marathon"):
 *
 * <ul>
 *   <li>the id, {@code spec.app.id} made absolute or {@code /<name>};
 *   <li>for an app with a dataset, only {@code [hostname, CLUSTER, <node>]}: the app runs where
 *       its data is, and Ferry enforces the placement constraints by moving the data. Were the
 *       user's constraints written too, a changed placement would leave Marathon unable to run
 *       the app on its old node for the whole pre-copy. An app without a dataset gets the
 *       user's constraints as they are;
 *   <li>the dataset as a host volume: for DOCKER at {@code mountPath}; for MESOS or a plain
 *       command in the sandbox at {@code mountPath} made relative, since the Mesos containerizer
 *       mounts host paths into the sandbox when the task has no image. {@code FERRY_DATASET_PATH}
 *       says where the task finds its data;
 *   <li>the task launched through {@code ferry-task-guard} ({@link TaskGuard}), which starts the
 *       user's command only on the dataset's mounted filesystem whose marker
 *       ({@code .ferry/identity}) says {@code FERRY_DATASET_IDENTITY}, under a lock on
 *       {@code .ferry/lock} that the task's whole process tree holds, so that a second process on
 *       the same dataset cannot start. A {@code cmd} becomes {@code exec <guard>} with the
 *       user's text in {@code FERRY_TASK_CMD} (never spliced into another shell string);
 *       {@code args} get the guard put first. For DOCKER the host's guard is mounted read-only at
 *       {@link TaskGuard#IN_CONTAINER} and run there, so the image needs {@code sh},
 *       {@code flock} and {@code mountpoint} (util-linux or busybox; Debian-based images such as
 *       {@code redis:7} have them); with {@code args} it replaces the image's entrypoint (Docker's
 *       {@code --entrypoint}). Inside a container the dataset is a bind mount even when the
 *       host's dataset is not mounted, so there the marker is what refuses an empty directory. An
 *       app with a dataset and neither {@code cmd} nor {@code args} (an image's own command)
 *       cannot be wrapped, so validation refuses it (SemanticChecks);
 *   <li>for apps with a dataset, {@code upgradeStrategy} 0/0 and {@code unreachableStrategy}
 *       {@code disabled}, so Marathon never runs two writers: by default it replaces an
 *       instance it cannot reach at once, while the old process may still run and write;
 *   <li>the labels {@code FERRY_STATEFULAPP}, {@code FERRY_GENERATION} and
 *       {@code FERRY_APP_HASH}: the last is a fingerprint of everything else in the app, so that
 *       a spec change Marathon need not see (placement or size of an app's data) is not written
 *       to it, since every write of an app definition restarts its task.
 * </ul>
 */
public final class MarathonApps {

  public static final String LABEL_STATEFULAPP = "FERRY_STATEFULAPP";
  public static final String LABEL_GENERATION = "FERRY_GENERATION";
  public static final String LABEL_APP_HASH = "FERRY_APP_HASH";
  public static final String ENV_DATASET_PATH = "FERRY_DATASET_PATH";
  public static final String ENV_DATASET_IDENTITY = "FERRY_DATASET_IDENTITY";
  public static final String ENV_TASK_CMD = "FERRY_TASK_CMD";
  /** Ferry's JSON with every object's keys sorted, so that the fingerprint does not depend on a manifest's key order. */
  private static final ObjectWriter CANONICAL = Json.json().writer().with(JsonNodeFeature.WRITE_PROPERTIES_SORTED);

  private MarathonApps() {}

  /**
   * Where a dataset's app runs: the Mesos agent's hostname, the dataset's mount point there and
   * the identity its marker must hold (the Dataset's {@code status.identity}).
   */
  public record Pin(String hostname, String datasetHostPath, String datasetIdentity) {}

  /** The Marathon app id of a StatefulApp. */
  public static String appId(StatefulApp app) {
    String id = app.spec().app().path("id").asText("");
    if (id.isEmpty()) {
      return "/" + app.name();
    }
    return id.startsWith("/") ? id : "/" + id;
  }

  /**
   * The app to write to Marathon.
   *
   * @param pin where the dataset is; empty for an app without a dataset
   * @param instances how many instances to ask for: the spec's, or 0 while a migration has the
   *     app stopped
   * @param guard where {@code ferry-task-guard} is on the agents
   */
  public static ObjectNode build(StatefulApp app, Optional<Pin> pin, int instances, TaskGuard guard) {
    ObjectNode out = app.spec().app();
    out.put("id", appId(app));
    out.put("instances", instances);

    ArrayNode constraints = out.putArray("constraints");
    if (pin.isEmpty()) {
      for (List<String> c : app.spec().placement().constraints()) {
        ArrayNode row = constraints.addArray();
        c.forEach(row::add);
      }
    }
    ObjectNode labels = out.has("labels") ? (ObjectNode) out.get("labels") : out.putObject("labels");
    labels.put(LABEL_STATEFULAPP, app.name());
    labels.put(LABEL_GENERATION, Long.toString(app.metadata().generation()));

    Optional<DatasetRef> dataset = app.spec().datasetRef();
    if (dataset.isPresent() && pin.isPresent()) {
      constraints.addArray().add("hostname").add("CLUSTER").add(pin.get().hostname());
      mountDataset(out, dataset.get(), pin.get());
      launchThroughGuard(out, pin.get(), guard);
    }
    if (dataset.isPresent()) {
      ObjectNode upgrade = out.putObject("upgradeStrategy");
      upgrade.put("minimumHealthCapacity", 0);
      upgrade.put("maximumOverCapacity", 0);
      out.put("unreachableStrategy", "disabled");
    }
    labels.put(LABEL_APP_HASH, fingerprint(out));
    return out;
  }

  /**
   * A fingerprint of the app as Marathon runs it: all of it but the generation and the
   * fingerprint labels, with keys in sorted order.
   */
  public static String fingerprint(JsonNode marathonApp) {
    ObjectNode copy = marathonApp.deepCopy();
    if (copy.get("labels") instanceof ObjectNode labels) {
      labels.remove(List.of(LABEL_GENERATION, LABEL_APP_HASH));
    }
    try {
      byte[] canonical = CANONICAL.writeValueAsBytes(copy);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical), 0, 12);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint a Marathon app", e);
    }
  }

  private static void mountDataset(ObjectNode app, DatasetRef dataset, Pin pin) {
    ObjectNode container = app.has("container") ? (ObjectNode) app.get("container") : app.putObject("container");
    boolean docker = isDocker(container);
    if (!container.has("type")) {
      container.put("type", docker ? "DOCKER" : "MESOS");
    }
    String containerPath = docker ? dataset.mountPath() : dataset.mountPath().substring(1);
    addVolume(container, containerPath, pin.datasetHostPath(), "RW");
    env(app).put(ENV_DATASET_PATH, docker ? dataset.mountPath() : pin.datasetHostPath());
  }

  private static void launchThroughGuard(ObjectNode app, Pin pin, TaskGuard guard) {
    ObjectNode container = (ObjectNode) app.get("container");
    boolean docker = isDocker(container);
    String guardPath = docker ? TaskGuard.IN_CONTAINER : guard.hostPath();
    if (docker) {
      addVolume(container, TaskGuard.IN_CONTAINER, guard.hostPath(), "RO");
    }
    ObjectNode env = env(app);
    env.put(ENV_DATASET_IDENTITY, pin.datasetIdentity());
    if (app.path("args").isArray() && !app.get("args").isEmpty()) {
      ArrayNode args = (ArrayNode) app.get("args");
      if (docker) {
        // Docker hands args to the image's entrypoint: the guard has to be that entrypoint.
        ObjectNode image = container.has("docker") ? (ObjectNode) container.get("docker") : container.putObject("docker");
        ArrayNode parameters = image.has("parameters") ? (ArrayNode) image.get("parameters") : image.putArray("parameters");
        parameters.addObject().put("key", "entrypoint").put("value", guardPath);
      } else {
        args.insert(0, guardPath);
      }
      env.remove(ENV_TASK_CMD);
    } else {
      if (app.hasNonNull("cmd")) {
        env.put(ENV_TASK_CMD, app.get("cmd").asText());
      } else {
        env.remove(ENV_TASK_CMD);
      }
      app.put("cmd", "exec " + guardPath);
    }
  }

  private static boolean isDocker(ObjectNode container) {
    return "DOCKER".equals(container.path("type").asText(container.has("docker") ? "DOCKER" : "MESOS"));
  }

  private static void addVolume(ObjectNode container, String containerPath, String hostPath, String mode) {
    ArrayNode volumes = container.has("volumes") ? (ArrayNode) container.get("volumes") : container.putArray("volumes");
    volumes.addObject().put("containerPath", containerPath).put("hostPath", hostPath).put("mode", mode);
  }

  private static ObjectNode env(ObjectNode app) {
    return app.has("env") ? (ObjectNode) app.get("env") : app.putObject("env");
  }

  /** The StatefulApp that owns a Marathon app, from its label. */
  public static Optional<String> owner(JsonNode marathonApp) {
    String name = marathonApp.path("labels").path(LABEL_STATEFULAPP).asText("");
    return name.isEmpty() ? Optional.empty() : Optional.of(name);
  }
}
