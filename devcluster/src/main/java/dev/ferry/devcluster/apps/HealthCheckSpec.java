package dev.ferry.devcluster.apps;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** One normalised {@code healthChecks[]} entry. */
public record HealthCheckSpec(
    String protocol, String path, int portIndex, OptionalInt port, Optional<String> command,
    Duration gracePeriod, Duration interval, Duration timeout, int maxConsecutiveFailures, boolean ignoreHttp1xx) {

  public static HealthCheckSpec from(JsonNode h) {
    return new HealthCheckSpec(
        h.path("protocol").asText("HTTP"),
        h.path("path").asText("/"),
        h.path("portIndex").asInt(0),
        h.has("port") ? OptionalInt.of(h.get("port").asInt()) : OptionalInt.empty(),
        h.path("command").has("value") ? Optional.of(h.path("command").path("value").asText()) : Optional.empty(),
        Duration.ofSeconds(h.path("gracePeriodSeconds").asLong(300)),
        Duration.ofSeconds(Math.max(1, h.path("intervalSeconds").asLong(60))),
        Duration.ofSeconds(Math.max(1, h.path("timeoutSeconds").asLong(20))),
        h.path("maxConsecutiveFailures").asInt(3),
        h.path("ignoreHttp1xx").asBoolean(false));
  }

  /** Whether the check runs on the agent (Mesos-level): there 0 failures allowed means kill at once. */
  public boolean mesosLevel() {
    return protocol.equals("COMMAND") || protocol.startsWith("MESOS_");
  }
}
