package dev.ferry.agent.dataset;

import dev.ferry.agent.zfs.DatasetState;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.ReclaimPolicy;
import java.util.Optional;

/**
 * Decides what an agent does with its copy of a dataset, from the Dataset object and the local
 * copy alone, as docs/migration-protocol.md's table says. Pure, so every row is a test case.
 */
public final class CopyPlan {

  private CopyPlan() {}

  /**
   * @param node this agent's node
   * @param dataset the Dataset as stored, empty when it is gone
   * @param deleted the Dataset's last state when this agent saw it deleted, else empty
   * @param owner the Migration named by the Dataset's {@code spec.migration}, if the agent knows it
   * @param local this node's copy, empty when there is none
   */
  public static CopyAction decide(String node, Optional<Dataset> dataset, Optional<Dataset> deleted,
      Optional<Migration> owner, Optional<DatasetState> local) {
    if (dataset.isEmpty()) {
      boolean reclaim = deleted.map(d -> d.spec().reclaimPolicy() == ReclaimPolicy.Delete).orElse(false);
      if (reclaim && local.isPresent()) {
        return CopyAction.destroy();
      }
      return CopyAction.leave(deleted.isPresent() && local.isPresent()
          ? "the Dataset was deleted with reclaimPolicy Retain: the copy stays"
          : "no Dataset");
    }
    Dataset d = dataset.get();
    if (!d.spec().primary().equals(node)) {
      if (local.isPresent() && !local.get().readonly()) {
        return CopyAction.makeStandby();
      }
      return CopyAction.leave(local.isPresent() ? "a read-only standby copy" : "no copy here, not the primary");
    }
    if (d.spec().size() == null || d.spec().size().bytes() <= 0) {
      return CopyAction.leave("the Dataset has no size");
    }
    long size = d.spec().size().bytes();
    if (local.isEmpty()) {
      return CopyAction.create(size);
    }
    String migration = d.spec().migration();
    if (!migration.isEmpty()) {
      if (owner.isEmpty()) {
        // Unseen yet (the watches are independent): a fenced source must not be made writable by
        // a race, so wait for the Migration rather than guess.
        return CopyAction.leave("owned by migration " + migration + ", not seen yet");
      }
      if (owner.get().spec().from().equals(node)) {
        return CopyAction.leave("migration " + migration + " from this node decides when the copy is read-only");
      }
    }
    DatasetState copy = local.get();
    if (!copy.mounted() || copy.readonly() || copy.refquotaBytes() != size) {
      return CopyAction.makePrimary(size);
    }
    return CopyAction.leave("the primary copy, mounted and writable");
  }
}
