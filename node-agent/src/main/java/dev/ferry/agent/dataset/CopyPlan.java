package dev.ferry.agent.dataset;

import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Conditions;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetStatus;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.ReclaimPolicy;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Decides what an agent does with its copy of a dataset, from the Dataset object and the local
 * copy alone, as docs/migration-protocol.md's table says. Pure, so every row is a test case.
 *
 * <p>Two rules keep data safe. A primary with no copy here is re-created only for a Dataset that
 * never had one: once it has an identity, any reported copy, or was already found lost, the copy
 * is {@linkplain CopyAction.Lost lost}, never replaced by an empty one that an application would
 * write into. And a standby copy (another node is the primary) is read-only and unmounted, so
 * that nothing reads a mount the next stream changes underneath.
 */
public final class CopyPlan {

  /** The condition type that says whether the primary copy exists ({@code False}, reason {@link #COPY_LOST}). */
  public static final String AVAILABLE = "Available";
  public static final String COPY_LOST = "CopyLost";

  private CopyPlan() {}

  /**
   * @param node this agent's node
   * @param dataset the Dataset as stored, empty when it is gone
   * @param deleted the Dataset's last state when this agent saw it deleted, else empty
   * @param owner the Migration named by the Dataset's {@code spec.migration}, if the agent knows it
   * @param local this node's copy, empty when there is none
   */
  public static CopyAction decide(String node, Optional<Dataset> dataset, Optional<Dataset> deleted,
      Optional<Migration> owner, Optional<LocalCopy> local) {
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
      if (local.isPresent() && (!local.get().state().readonly() || local.get().state().mounted())) {
        return CopyAction.makeStandby();
      }
      return CopyAction.leave(local.isPresent() ? "a read-only, unmounted standby copy" : "no copy here, not the primary");
    }
    if (local.isEmpty()) {
      Optional<String> existed = existed(d.status());
      if (existed.isPresent()) {
        return CopyAction.lost(existed.get());
      }
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
    LocalCopy copy = local.get();
    if (!copy.showsIdentity() || copy.state().readonly() || copy.state().refquotaBytes() != size) {
      return CopyAction.makePrimary(size);
    }
    return CopyAction.leave("the primary copy, mounted and writable");
  }

  /** How the status shows that the dataset's filesystem once existed, if it does. */
  private static Optional<String> existed(DatasetStatus status) {
    if (!status.identity().isEmpty()) {
      return Optional.of("the Dataset records identity " + status.identity());
    }
    if (!status.copies().isEmpty()) {
      return Optional.of("copies were reported on " + String.join(", ", new TreeSet<>(status.copies().keySet())));
    }
    Condition available = Conditions.find(status.conditions(), AVAILABLE);
    if (available != null && COPY_LOST.equals(available.reason())) {
      return Optional.of("it was found lost before");
    }
    return Optional.empty();
  }
}
