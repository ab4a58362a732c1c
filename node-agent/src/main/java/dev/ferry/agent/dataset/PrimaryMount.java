package dev.ferry.agent.dataset;

import dev.ferry.agent.zfs.DatasetMarkers;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.DatasetState;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsException;
import dev.ferry.api.model.Snapshot;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts a primary copy and checks that the mount really shows the dataset: its identity marker
 * is the one the Dataset records, and, for a copy that just became the primary, its round marker
 * names the newest snapshot it holds (zfs-fuse serving a stale view of a filesystem that received
 * while mounted shows an older one). It never removes or merges files in the mountpoint
 * directory: a mount zfs refuses is reported with zfs's reason. Blocking.
 */
final class PrimaryMount {

  private static final Logger LOG = LoggerFactory.getLogger(PrimaryMount.class);

  private final ZfsDriver zfs;
  private final DatasetMarkers markers;
  private final String node;

  PrimaryMount(ZfsDriver zfs, DatasetMarkers markers, String node) {
    this.zfs = zfs;
    this.markers = markers;
    this.node = node;
  }

  /**
   * What the mount shows now: never the dataset when ZFS has it unmounted (a bare mountpoint
   * directory) or the identity marker is missing or another.
   *
   * @param identity the Dataset's identity; "" when none is recorded yet (any marker then shows it)
   */
  MountCheck check(DatasetName dataset, String identity) {
    return check(dataset, identity, zfs.state(dataset).mounted());
  }

  /**
   * {@link #check(DatasetName, String)} of a copy whose state the caller just read ({@code seen}):
   * the marker is read, ZFS is not asked again.
   */
  MountCheck check(DatasetName dataset, String identity, DatasetState seen) {
    return check(dataset, identity, seen.mounted());
  }

  private MountCheck check(DatasetName dataset, String identity, boolean mounted) {
    String where = "dataset " + dataset + " on " + node;
    if (!mounted) {
      return MountCheck.notShown(MountCheck.NOT_MOUNTED, where + " is not mounted");
    }
    Optional<String> marker = markers.identity(dataset);
    if (marker.isEmpty()) {
      return MountCheck.notShown(MountCheck.MARKER_MISSING, "the mount of " + where + " at "
          + zfs.layout().mountpoint(dataset) + " has no identity marker (.ferry/identity)");
    }
    if (!identity.isEmpty() && !marker.get().equals(identity)) {
      return MountCheck.notShown(MountCheck.IDENTITY_MISMATCH, "the mount of " + where + " shows identity "
          + marker.get() + ", but the dataset's is " + identity);
    }
    return MountCheck.shown(where + " is mounted at " + zfs.layout().mountpoint(dataset) + " and shows identity "
        + marker.get());
  }

  /**
   * Makes the copy the writable primary: its refquota, mounted (afresh when the mount shows
   * something else than the dataset), its markers checked, and only then writable.
   *
   * @param snapshots the copy's snapshots as the caller just listed them, oldest first (nothing
   *     receives into a copy that becomes the primary, and mounting it does not change them)
   * @return the check; when it failed the copy was not made writable
   */
  MountCheck makePrimary(DatasetName dataset, LocalCopy copy, long refquotaBytes, String identity,
      List<Snapshot> snapshots) {
    // The app is down until this returns: ZFS is asked only what the copy's state, read once
    // before (copy.state()), cannot tell, and each step that changes it is known to have worked.
    DatasetState state = copy.state();
    if (state.refquotaBytes() != refquotaBytes) {
      zfs.setRefquota(dataset, refquotaBytes);
    }
    zfs.placeMountpoint(dataset, state);
    Optional<MountCheck> failed = state.mounted() && !copy.showsIdentity() ? remount(dataset) : mount(dataset, state);
    if (failed.isPresent()) {
      return failed.get();
    }
    // A copy that was read-only (a standby that received, a fenced source) becomes the primary now.
    Optional<MountCheck> stale = state.readonly() ? staleView(dataset, snapshots) : Optional.empty();
    if (stale.isPresent()) {
      return stale.get();
    }
    // Mounted now: zfs mount exited 0 above, or it was mounted showing the dataset already.
    MountCheck check = check(dataset, identity, true);
    if (!check.shown() && !(identity.isEmpty() && check.reason().equals(MountCheck.MARKER_MISSING))) {
      return check;
    }
    zfs.setReadonly(dataset, false);
    return check;
  }

  /** Mounts the copy; a refusal (a mountpoint directory that is not empty) is returned, not thrown. */
  Optional<MountCheck> mount(DatasetName dataset) {
    return mount(dataset, zfs.state(dataset));
  }

  private Optional<MountCheck> mount(DatasetName dataset, DatasetState seen) {
    try {
      zfs.mount(dataset, seen);
      return Optional.empty();
    } catch (ZfsException e) {
      LOG.warn("cannot mount dataset {}: {}", dataset, e.getMessage());
      return Optional.of(MountCheck.notShown(MountCheck.MOUNT_FAILED, "cannot mount dataset " + dataset + " on "
          + node + " at " + zfs.layout().mountpoint(dataset) + ": " + e.getMessage()));
    }
  }

  private Optional<MountCheck> remount(DatasetName dataset) {
    try {
      zfs.unmount(dataset);
    } catch (ZfsException e) {
      return Optional.of(MountCheck.notShown(MountCheck.MOUNT_FAILED, "dataset " + dataset + " on " + node
          + " does not show the dataset and cannot be unmounted to mount it afresh: " + e.getMessage()));
    }
    return mount(dataset);
  }

  /**
   * Checks the round marker: it must not name a snapshot older than the copy's newest one. A
   * marker naming a snapshot the copy does not hold is a round whose snapshot was never taken
   * (its fence was rolled back), not a view of the past. On a mismatch it mounts again once.
   */
  private Optional<MountCheck> staleView(DatasetName dataset, List<Snapshot> snapshots) {
    if (snapshots.isEmpty()) {
      return Optional.empty();
    }
    String newest = snapshots.get(snapshots.size() - 1).name();
    if (!olderThan(snapshots, markers.roundSnapshot(dataset), newest)) {
      return Optional.empty();
    }
    LOG.warn("the mount of dataset {} shows an older round marker than its newest snapshot {}: mounting it again",
        dataset, newest);
    Optional<MountCheck> failed = remount(dataset);
    if (failed.isPresent()) {
      return failed;
    }
    Optional<String> again = markers.roundSnapshot(dataset);
    if (!olderThan(snapshots, again, newest)) {
      return Optional.empty();
    }
    return Optional.of(MountCheck.notShown(MountCheck.STALE_VIEW, "the mount of dataset " + dataset + " on " + node
        + " shows round marker " + again.orElse("") + " although its newest snapshot is " + newest
        + ", also after mounting it again: zfs serves a stale view; the copy is not made writable"));
  }

  private static boolean olderThan(List<Snapshot> snapshots, Optional<String> marker, String newest) {
    return marker.isPresent() && !marker.get().equals(newest)
        && snapshots.stream().anyMatch(s -> s.name().equals(marker.get()));
  }
}
