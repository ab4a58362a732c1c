package dev.ferry.devcluster.health;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/** One health check's state for one task, as {@code healthCheckResults[]} shows it. */
public record HealthResult(boolean alive, int consecutiveFailures, Optional<Instant> firstSuccess,
    Optional<Instant> lastSuccess, Optional<Instant> lastFailure, Optional<String> lastFailureCause) {

  public static HealthResult unknown() {
    return new HealthResult(false, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public HealthResult succeeded(Instant now) {
    return new HealthResult(true, 0, firstSuccess.or(() -> Optional.of(now)), Optional.of(now), lastFailure, lastFailureCause);
  }

  public HealthResult failed(Instant now, String cause) {
    return new HealthResult(false, consecutiveFailures + 1, firstSuccess, lastSuccess, Optional.of(now), Optional.of(cause));
  }

  public ObjectNode json(String instanceId) {
    ObjectNode json = JsonNodeFactory.instance.objectNode()
        .put("alive", alive).put("consecutiveFailures", consecutiveFailures);
    firstSuccess.ifPresent(t -> json.put("firstSuccess", t.toString()));
    lastSuccess.ifPresent(t -> json.put("lastSuccess", t.toString()));
    lastFailure.ifPresent(t -> json.put("lastFailure", t.toString()));
    lastFailureCause.ifPresent(c -> json.put("lastFailureCause", c));
    json.put("instanceId", instanceId);
    return json;
  }
}
