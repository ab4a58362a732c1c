package dev.ferry.agent.dataset;

import dev.ferry.api.model.Condition;
import dev.ferry.api.model.DatasetCopy;
import java.util.List;
import java.util.Optional;

/**
 * What an agent writes into a Dataset's status about its copy, in one write.
 *
 * @param copy this node's entry of {@code status.copies}, empty to remove it
 * @param conditions what the primary's agent states about the primary copy (its types replace
 *     the stored ones of the same type, transition times kept); empty from any other agent
 * @param identity recorded in {@code status.identity} only while that is empty, never replacing
 *     one; {@code ""} for nothing to record
 */
public record CopyReport(Optional<DatasetCopy> copy, List<Condition> conditions, String identity) {

  public CopyReport {
    conditions = List.copyOf(conditions);
    identity = identity == null ? "" : identity;
  }
}
