package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What Ferry observed of a StatefulApp. {@code phase} is a summary for people; the conditions
 * (Ready, DatasetReady, Migrating) carry the truth.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StatefulAppStatus(
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long observedGeneration,
    String node,
    String phase,
    List<Condition> conditions,
    MarathonAppStatus marathon) {

  public static final StatefulAppStatus EMPTY = new StatefulAppStatus(0, "", "", List.of(), null);

  public StatefulAppStatus {
    node = node == null ? "" : node;
    phase = phase == null ? "" : phase;
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }
}
