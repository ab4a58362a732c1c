package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The dataset's copies, one per node that holds one, as the agents reported them.
 *
 * @param copies by node name
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DatasetStatus(@JsonInclude(JsonInclude.Include.NON_DEFAULT) long observedGeneration, Map<String, DatasetCopy> copies, List<Condition> conditions) {

  public static final DatasetStatus EMPTY = new DatasetStatus(0, Map.of(), List.of());

  public DatasetStatus {
    copies = copies == null ? Map.of() : Map.copyOf(copies);
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }
}
