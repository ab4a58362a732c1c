package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * What happened, to which object, how often.
 *
 * @param type Normal or Warning
 * @param reason a CamelCase word, e.g. MigrationStarted
 * @param count how many times the same event was seen between first and last
 * @param source the component that reported it (controller, node-agent/node1)
 */
public record EventSpec(
    ObjectReference involvedObject,
    EventType type,
    String reason,
    String message,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int count,
    Instant firstTimestamp,
    Instant lastTimestamp,
    String source) {

  public EventSpec {
    type = type == null ? EventType.Normal : type;
    reason = reason == null ? "" : reason;
    message = message == null ? "" : message;
    count = Math.max(count, 1);
    source = source == null ? "" : source;
  }
}
