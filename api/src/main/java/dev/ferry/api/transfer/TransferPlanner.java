package dev.ferry.api.transfer;

import dev.ferry.api.model.Snapshot;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides the next transfer step from the two sides' snapshot lists, like zrepl's replication
 * diff: a pure function, no I/O, so that every case is a line in a table test.
 *
 * <p>Snapshots are matched by guid only: names can repeat across nodes, and a snapshot that was
 * destroyed and re-created under the same name is a different snapshot.
 */
public final class TransferPlanner {

  private TransferPlanner() {}

  /**
   * The next step to bring the target to the source's newest snapshot.
   *
   * @param source the source's snapshots, oldest first; must not be empty (snapshot first)
   * @param target the target's snapshots, oldest first, or empty when the target has no copy at all
   * @throws IllegalArgumentException when the source has no snapshot
   */
  public static TransferStep plan(List<Snapshot> source, Optional<List<Snapshot>> target) {
    if (source.isEmpty()) {
      throw new IllegalArgumentException("the source has no snapshot to send: take one before planning");
    }
    Snapshot newest = source.get(source.size() - 1);
    if (target.isEmpty()) {
      return TransferStep.fullSend(newest);
    }
    List<Snapshot> targetSnapshots = target.get();
    if (targetSnapshots.isEmpty()) {
      return TransferStep.diverged("the target has a copy without snapshots: a full stream would"
          + " overwrite it, so destroy it first if its data is not needed");
    }
    Set<String> sourceGuids = source.stream().map(Snapshot::guid).collect(Collectors.toSet());
    Optional<Snapshot> common = newestCommon(targetSnapshots, sourceGuids);
    if (common.isEmpty()) {
      return TransferStep.diverged("the target's snapshots " + names(targetSnapshots)
          + " share no guid with the source's " + names(source)
          + ": the copies have no common history, so no incremental stream fits");
    }
    Snapshot base = common.get();
    Snapshot targetNewest = targetSnapshots.get(targetSnapshots.size() - 1);
    if (!targetNewest.guid().equals(base.guid())) {
      return TransferStep.rollbackTarget(base);
    }
    if (base.guid().equals(newest.guid())) {
      return TransferStep.upToDate(newest);
    }
    return TransferStep.incremental(sourceSnapshotWithGuid(source, base.guid()), newest);
  }

  /**
   * The newest of the target's snapshots that the source also holds (matched by guid): the base
   * of the next incremental stream, or empty when the two copies share no snapshot (or the target
   * has none) and only a full stream fits.
   */
  public static Optional<Snapshot> newestCommon(List<Snapshot> source, List<Snapshot> target) {
    return newestCommon(target, source.stream().map(Snapshot::guid).collect(Collectors.toSet()));
  }

  private static Optional<Snapshot> newestCommon(List<Snapshot> target, Set<String> sourceGuids) {
    for (int i = target.size() - 1; i >= 0; i--) {
      if (sourceGuids.contains(target.get(i).guid())) {
        return Optional.of(target.get(i));
      }
    }
    return Optional.empty();
  }

  /** The base as the source names it: the sender runs {@code zfs send -i} with its own name. */
  private static Snapshot sourceSnapshotWithGuid(List<Snapshot> source, String guid) {
    return source.stream().filter(s -> s.guid().equals(guid)).findFirst().orElseThrow();
  }

  private static String names(List<Snapshot> snapshots) {
    return snapshots.stream().map(s -> s.name() + "(" + s.guid() + ")").collect(Collectors.joining(", ", "[", "]"));
  }
}
