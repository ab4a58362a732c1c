package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One observed aspect of an object, as in Kubernetes: {@code status} is "True", "False" or
 * "Unknown"; {@code reason} is a CamelCase word for machines, {@code message} a sentence for
 * people. {@code lastTransitionTime} changes only when {@code status} does.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Condition(
    String type,
    String status,
    String reason,
    String message,
    Instant lastTransitionTime,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long observedGeneration) {

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  public Condition {
    reason = reason == null ? "" : reason;
    message = message == null ? "" : message;
  }

  @JsonIgnore
  public boolean isTrue() {
    return TRUE.equals(status);
  }
}
