package dev.ferry.e2e.bench;

import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.TransferState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The figures of one migration of the benchmark, as written to {@code migration.json}.
 *
 * @param strategy PreCopy or StopAndCopy
 * @param size the dataset's fill as given on the command line ({@code 64Mi})
 * @param sizeBytes the same in bytes
 * @param from the node the data left
 * @param to the node it moved to
 * @param downtimeS the client's downtime: the longest gap between two acknowledged writes
 * @param controllerDowntimeS the Migration's status.downtime: from quiesce to healthy on the target
 * @param fullCopy whether the first round sent the whole dataset (the target held no copy): a
 *     move back to a node that kept its old copy sends only the difference, whatever the strategy
 * @param phasesS the controller's downtime split by phase (see {@link #phaseSplit})
 * @param finalSyncS the finalSync phase split at the final round's states (see {@link #finalSyncSplit})
 * @param totalS from the Migration's creation to its completion
 * @param rounds transfer rounds, the full copy included
 * @param bytesMoved the status's bytesTransferred
 * @param writesAcked writes Redis acknowledged from this run's start to the next one's (the first
 *     run of a size also counts the writes before it)
 * @param writesLost of those, the ones missing or wrong when read back after all runs of the size
 */
record MigrationRun(String migration, String strategy, String size, long sizeBytes, String from, String to,
    String phase, boolean fullCopy, double downtimeS, double controllerDowntimeS, Map<String, Double> phasesS,
    Map<String, Double> finalSyncS, double totalS, int rounds, long bytesMoved, long writesAcked, long writesLost) {

  /** The phases of the controller's downtime, in order. */
  static final List<String> PHASES = List.of("stop", "finalSync", "switch", "start", "ready");

  /** This run with the writes counted once all runs of its size are over and read back. */
  MigrationRun withWrites(long acked, long lost) {
    return new MigrationRun(migration, strategy, size, sizeBytes, from, to, phase, fullCopy, downtimeS, controllerDowntimeS,
        phasesS, finalSyncS, totalS, rounds, bytesMoved, acked, lost);
  }

  /**
   * The controller's downtime split at the moments it is made of: stop (quiesce until the app's
   * task is gone and the controller asks for the fenced final round), finalSync (the final
   * snapshot and send, until the controller moves the primary), switch (until it starts the
   * app on the target), start (until Marathon reports the task running), ready (until the
   * controller saw it healthy and finished). A moment not seen counts as the next one seen, so
   * its phase is 0 and the sum still equals the downtime.
   */
  static Map<String, Double> phaseSplit(Instant quiesce, Map<MigrationPhase, Instant> seen, Optional<Instant> taskStarted,
      Instant completion) {
    List<Optional<Instant>> marks = new ArrayList<>(List.of(Optional.of(quiesce),
        Optional.ofNullable(seen.get(MigrationPhase.FinalSync)), Optional.ofNullable(seen.get(MigrationPhase.Switch)),
        Optional.ofNullable(seen.get(MigrationPhase.Start)), taskStarted, Optional.of(completion)));
    Instant[] at = new Instant[marks.size()];
    at[marks.size() - 1] = completion;
    for (int i = marks.size() - 2; i >= 0; i--) {
      Instant m = marks.get(i).orElse(at[i + 1]);
      // Clamped into order: a task start stamped by another process may be a hair off.
      at[i] = m.isAfter(at[i + 1]) ? at[i + 1] : m;
    }
    for (int i = 1; i < at.length; i++) {
      if (at[i].isBefore(at[i - 1])) {
        at[i] = at[i - 1];
      }
    }
    Map<String, Double> split = new LinkedHashMap<>();
    for (int i = 0; i < PHASES.size(); i++) {
      split.put(PHASES.get(i), seconds(Duration.between(at[i], at[i + 1])));
    }
    return split;
  }

  /**
   * The finalSync phase split at the final round's states as the watch saw them: request (from
   * the phase's start until the controller wrote the fenced request), pickup (until the source
   * agent took it), round (fence, snapshot, plan and stream, until the agent wrote Succeeded),
   * record (until the controller moved on to Switch). Unseen moments count as the next one seen.
   */
  static Map<String, Double> finalSyncSplit(Optional<Instant> phaseStart, Map<TransferState, Instant> round,
      Optional<Instant> phaseEnd) {
    List<String> names = List.of("request", "pickup", "round", "record");
    List<Optional<Instant>> marks = List.of(phaseStart, Optional.ofNullable(round.get(TransferState.Requested)),
        Optional.ofNullable(round.get(TransferState.Running)), Optional.ofNullable(round.get(TransferState.Succeeded)),
        phaseEnd);
    Map<String, Double> split = new LinkedHashMap<>();
    if (phaseStart.isEmpty() || phaseEnd.isEmpty()) {
      return split;
    }
    Instant previous = phaseStart.get();
    for (int i = 0; i < names.size(); i++) {
      Instant next = marks.get(i + 1).orElse(previous);
      next = next.isBefore(previous) ? previous : next;
      split.put(names.get(i), seconds(Duration.between(previous, next)));
      previous = next;
    }
    return split;
  }

  /**
   * The longest gap between two consecutive acknowledgement times (nanos, ascending) that
   * overlaps {@code [from, to]}; the wait from {@code from} to the first one after it when there
   * is none before.
   */
  static double longestGapS(List<Long> ackNanos, long from, long to) {
    long longest = 0;
    long previous = from;
    for (long t : ackNanos) {
      if (t <= from) {
        previous = t;
        continue;
      }
      longest = Math.max(longest, t - previous);
      previous = t;
      if (t >= to) {
        return longest / 1e9;
      }
    }
    return Math.max(longest, to - previous) / 1e9;
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  boolean succeeded() {
    return phase.equals(MigrationPhase.Succeeded.name());
  }
}
