package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The dataset's copies, one per node that holds one, as the agents reported them.
 *
 * @param copies by node name
 * @param identity what the dataset's identity marker ({@code .ferry/identity} inside the
 *     filesystem) says: written once, by the agent that created the filesystem, and carried to
 *     every copy by the snapshots. Empty until the dataset exists. A task is started only on a
 *     mount whose marker says this, so an empty directory or another dataset never passes for
 *     it; and a Dataset that has an identity but no copy on its primary is lost, never
 *     re-created empty.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DatasetStatus(@JsonInclude(JsonInclude.Include.NON_DEFAULT) long observedGeneration, Map<String, DatasetCopy> copies,
    List<Condition> conditions, String identity) {

  public static final DatasetStatus EMPTY = new DatasetStatus(0, Map.of(), List.of(), "");

  public DatasetStatus {
    copies = copies == null ? Map.of() : Map.copyOf(copies);
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
    identity = identity == null ? "" : identity;
  }

  /** This status with other copies. */
  public DatasetStatus withCopies(Map<String, DatasetCopy> newCopies) {
    return new DatasetStatus(observedGeneration, newCopies, conditions, identity);
  }
}
