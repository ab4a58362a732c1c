package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The node's pool and liveness as its agent last reported them.
 *
 * @param leaseId the etcd lease the Node key is attached to
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NodeStatus(
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long poolSizeBytes,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long poolFreeBytes,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long leaseId,
    Instant lastHeartbeat,
    List<Condition> conditions) {

  public static final NodeStatus EMPTY = new NodeStatus(0, 0, 0, null, List.of());

  public NodeStatus {
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }
}
