package dev.ferry.agent.dataset;

import dev.ferry.agent.watch.ClusterView;
import dev.ferry.agent.zfs.CopyListing;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which datasets are this node's business, and which of them changed since the agent last looked.
 *
 * <p>A dataset concerns a node when the node is its primary, holds a copy (its entry of {@code
 * status.copies}, or a copy in the pool's last listing), or is the source or target of the
 * Migration that owns it. The agent reconciles no other dataset: another node's Dataset costs it
 * no {@code zfs} command and no etcd read, however many there are.
 *
 * <p>{@link #pass} is the periodic look: one {@link ZfsDriver#listCopies} for the whole pool, and
 * of this node's datasets only those whose object, owning Migration or copy changed since the
 * previous pass, whose primary copy is not reported serving, or whose space is due a report
 * ({@link UsageThreshold}), are handed back to be reconciled. A steady node therefore costs one {@code zfs} launch per pass and no etcd traffic.
 * Thread-safe: {@link #concerns} is called from the store's watch threads, {@link #pass} from a
 * worker, one at a time.
 */
public final class NodeDatasets {

  /** What a pass saw of one dataset: a difference from the previous pass is a reason to look. */
  private record Seen(long version, boolean deleted, Optional<MigrationSpec> owner, Optional<CopyListing> copy) {

    boolean sameAs(Seen other) {
      return version == other.version && deleted == other.deleted && owner.equals(other.owner)
          && copy.isPresent() == other.copy.isPresent()
          && (copy.isEmpty() || copy.get().sameApartFromSpace(other.copy.get()));
    }
  }

  private final ZfsDriver zfs;
  private final ClusterView view;
  private final String node;
  private final UsageThreshold usage;
  private final Clock clock;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private volatile Set<String> local = Set.of();

  public NodeDatasets(ZfsDriver zfs, ClusterView view, String node, UsageThreshold usage, Clock clock) {
    this.zfs = zfs;
    this.view = view;
    this.node = node;
    this.usage = usage;
    this.clock = clock;
  }

  /**
   * Whether the dataset {@code name}, as the view knows it, is this node's business. A deleted
   * Dataset that is not is forgotten at once: no copy here is waiting for its reclaim policy.
   */
  public boolean concerns(String name) {
    Optional<Dataset> current = view.dataset(name);
    if (current.isPresent()) {
      return concerns(current.get()) || local.contains(name);
    }
    Optional<Dataset> deleted = view.deletedDataset(name);
    if (deleted.isEmpty()) {
      return local.contains(name);
    }
    if (concerns(deleted.get()) || local.contains(name)) {
      return true;
    }
    view.forgetDeleted(name, deleted.get());
    return false;
  }

  private boolean concerns(Dataset d) {
    return d.spec().primary().equals(node) || d.status().copies().containsKey(node)
        || owner(d).map(m -> m.from().equals(node) || m.to().equals(node)).orElse(false);
  }

  private Optional<MigrationSpec> owner(Dataset d) {
    return Optional.of(d.spec().migration()).filter(m -> !m.isEmpty()).flatMap(view::migration).map(Migration::spec);
  }

  /**
   * One periodic look: lists the pool's copies in one command and returns, in name order, this
   * node's datasets to reconcile because something about them changed since the previous pass (all
   * of them on the first). Blocking: call it on a worker thread.
   */
  public List<String> pass() {
    Map<DatasetName, CopyListing> copies = zfs.listCopies();
    local = copies.keySet().stream().map(DatasetName::value).collect(Collectors.toUnmodifiableSet());
    Set<String> candidates = new TreeSet<>();
    for (String name : view.datasetNames()) {
      if (concerns(name)) {
        candidates.add(name);
      }
    }
    // A copy here whose Dataset the node's index does not hold (a move ended before the copy it
    // received was reported) is looked at too, when first seen and when the copy changes: the
    // keeper then reads its Dataset from etcd, and reporting the copy brings it into the index.
    candidates.addAll(local);
    List<String> changed = new ArrayList<>();
    for (String name : candidates) {
      Optional<Dataset> current = view.dataset(name);
      Optional<Dataset> d = current.or(() -> view.deletedDataset(name));
      Optional<CopyListing> copy = Optional.ofNullable(copies.get(DatasetName.of(name)));
      Seen now = d.isEmpty() ? new Seen(-1, false, Optional.empty(), copy)
          : new Seen(d.get().metadata().resourceVersion(), current.isEmpty(), owner(d.get()), copy);
      Seen before = seen.put(name, now);
      if (before == null || !before.sameAs(now)
          || d.isPresent() && (unsettled(d.get()) || spaceDue(d.get(), copy))) {
        changed.add(name);
      }
    }
    seen.keySet().retainAll(candidates);
    return changed;
  }

  /**
   * A primary copy this node does not report mounted and writable is looked at every pass, changed
   * or not: what keeps it from serving (files in the way of the mount, a lost copy) is mended
   * outside ZFS and the object, and the next look must find out.
   */
  private boolean unsettled(Dataset d) {
    if (!d.spec().primary().equals(node) || d.metadata().deletionTimestamp() != null) {
      return false;
    }
    DatasetCopy reported = d.status().copies().get(node);
    return reported == null || !reported.mounted() || reported.readonly();
  }

  /**
   * The next pass looks at {@code name} again whatever it finds: the look it asked for did not
   * happen (a receive had the copy) or failed.
   */
  public void forget(String name) {
    seen.remove(name);
  }

  /** Whether the copy's space moved enough, and long enough after the last report, to be reported. */
  private boolean spaceDue(Dataset d, Optional<CopyListing> copy) {
    DatasetCopy reported = d.status().copies().get(node);
    return reported != null && copy.isPresent()
        && usage.due(reported, copy.get().state().usedBytes(), copy.get().state().availableBytes(), clock.instant());
  }
}
