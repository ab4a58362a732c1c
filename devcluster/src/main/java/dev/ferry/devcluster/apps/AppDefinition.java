package dev.ferry.devcluster.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.placement.Constraint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stored app: its normalised JSON (what the API writes back, {@code version} included) with
 * typed reads of what the scheduler needs. Immutable: every change makes a new definition.
 */
public record AppDefinition(ObjectNode json) {

  /** Mesos's kill grace period when an app sets none. */
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(3);

  public AppDefinition {
    json = json.deepCopy();
  }

  public static AppDefinition of(ObjectNode normalized) {
    return new AppDefinition(normalized);
  }

  /** The JSON, as a copy the caller may change. */
  @Override
  public ObjectNode json() {
    return json.deepCopy();
  }

  public AppId id() {
    return AppId.of(json.path("id").asText());
  }

  /**
   * The service ports of its port definitions (0 where none is assigned), read without copying
   * the definition: the scheduler asks every app for them on every write.
   */
  public List<Integer> servicePorts() {
    List<Integer> ports = new ArrayList<>();
    json.path("portDefinitions").forEach(p -> ports.add(p.path("port").asInt()));
    return ports;
  }

  /**
   * The value of label {@code key}, empty when the app has no such label; read without copying
   * the definition, as {@code GET /v2/apps?label=...} asks every app on every poll.
   */
  public Optional<String> label(String key) {
    JsonNode value = json.path("labels").get(key);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  /** When its configuration last changed (not its scale): tasks older than that are replaced. */
  public String lastConfigChangeAt() {
    return json.path("versionInfo").path("lastConfigChangeAt").asText(version());
  }

  /** Whether Marathon may assign its host ports (false when the app asks for fixed ones). */
  public boolean requirePorts() {
    return json.path("requirePorts").asBoolean(false);
  }

  public String version() {
    return json.path("version").asText("");
  }

  public int instances() {
    return json.path("instances").asInt(1);
  }

  public double cpus() {
    return json.path("cpus").asDouble(1);
  }

  public double mem() {
    return json.path("mem").asDouble(128);
  }

  public Optional<String> cmd() {
    return json.hasNonNull("cmd") ? Optional.of(json.get("cmd").asText()) : Optional.empty();
  }

  public List<String> args() {
    List<String> args = new ArrayList<>();
    json.path("args").forEach(a -> args.add(a.asText()));
    return args;
  }

  public Optional<String> user() {
    return json.hasNonNull("user") ? Optional.of(json.get("user").asText()) : Optional.empty();
  }

  public boolean isDocker() {
    return json.path("container").path("type").asText(json.path("container").has("docker") ? "DOCKER" : "MESOS")
        .equals("DOCKER") && json.has("container");
  }

  /** Plain env values; secret references ({@code {"secret": ...}}) have no value here. */
  public Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    json.path("env").properties().forEach(e -> {
      if (e.getValue().isTextual()) {
        env.put(e.getKey(), e.getValue().asText());
      }
    });
    return env;
  }

  public List<Constraint> constraints() {
    List<Constraint> constraints = new ArrayList<>();
    json.path("constraints").forEach(c -> {
      List<String> wire = new ArrayList<>();
      c.forEach(s -> wire.add(s.asText()));
      constraints.add(Constraint.parse(wire));
    });
    return constraints;
  }

  /** The names of the host ports each task gets, one per port definition or mapping ({@code ""} when unnamed). */
  public List<String> portNames() {
    JsonNode defs = json.has("portDefinitions") ? json.get("portDefinitions")
        : json.path("container").path("portMappings");
    List<String> names = new ArrayList<>();
    defs.forEach(d -> names.add(d.path("name").asText("")));
    return names;
  }

  public List<HealthCheckSpec> healthChecks() {
    List<HealthCheckSpec> checks = new ArrayList<>();
    json.path("healthChecks").forEach(h -> checks.add(HealthCheckSpec.from(h)));
    return checks;
  }

  public List<HostVolume> hostVolumes() {
    List<HostVolume> volumes = new ArrayList<>();
    json.path("container").path("volumes").forEach(v -> {
      if (v.hasNonNull("hostPath")) {
        volumes.add(new HostVolume(v.path("containerPath").asText(), v.get("hostPath").asText()));
      }
    });
    return volumes;
  }

  public UpgradeStrategy upgradeStrategy() {
    JsonNode u = json.path("upgradeStrategy");
    return new UpgradeStrategy(u.path("minimumHealthCapacity").asDouble(1), u.path("maximumOverCapacity").asDouble(1));
  }

  public Backoff backoff() {
    return new Backoff(Duration.ofMillis((long) (json.path("backoffSeconds").asDouble(1) * 1000)),
        json.path("backoffFactor").asDouble(1.15),
        Duration.ofSeconds(json.path("maxLaunchDelaySeconds").asLong(300)));
  }

  /** How long a task gets between SIGTERM and SIGKILL; Mesos's default is 3 seconds. */
  public Duration killGracePeriod() {
    return Duration.ofMillis((long) (json.path("taskKillGracePeriodSeconds").asDouble(DEFAULT_KILL_GRACE.toSeconds()) * 1000));
  }

  public boolean killOldestFirst() {
    return json.path("killSelection").asText().equals("OLDEST_FIRST");
  }
}
