package dev.ferry.api.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.ferry.api.transfer.TransferStep.Diverged;
import dev.ferry.api.model.Snapshot;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TransferPlannerTest {

  /** Snapshots named s1..s4 with guids 1..4; "x" versions have other guids under the same names. */
  private static final Snapshot S1 = snap("s1", "1");
  private static final Snapshot S2 = snap("s2", "2");
  private static final Snapshot S3 = snap("s3", "3");
  private static final Snapshot S4 = snap("s4", "4");
  private static final Snapshot S2_ELSEWHERE = snap("s2", "22");
  private static final Snapshot S3_ELSEWHERE = snap("s3", "33");
  private static final Snapshot T1 = snap("t1", "91");
  /** The target's name for the source's s2 after a rename: the guid is what counts. */
  private static final Snapshot S2_RENAMED = snap("renamed", "2");

  static Stream<Arguments> table() {
    return Stream.of(
        // case, source, target (null: no copy), expected step
        row("no copy on the target: full send of the newest",
            list(S1, S2), null, TransferStep.fullSend(S2)),
        row("target at an older snapshot: incremental from it",
            list(S1, S2, S3), list(S1), TransferStep.incremental(S1, S3)),
        row("incremental starts at the newest common snapshot",
            list(S1, S2, S3, S4), list(S1, S2, S3), TransferStep.incremental(S3, S4)),
        row("source pruned old snapshots: still incremental from the common one",
            list(S3, S4), list(S1, S2, S3), TransferStep.incremental(S3, S4)),
        row("snapshots match by guid, not name: base named as the source names it",
            list(S1, S2, S3), list(S2_RENAMED), TransferStep.incremental(S2, S3)),
        row("target holds the newest: nothing to do",
            list(S1, S2), list(S1, S2), TransferStep.upToDate(S2)),
        row("target holds the newest and older ones the source pruned: nothing to do",
            list(S2), list(S1, S2), TransferStep.upToDate(S2)),
        row("target has a snapshot of its own after the common one: roll back first",
            list(S1, S2, S3), list(S1, S2, T1), TransferStep.rollbackTarget(S2)),
        row("same name, other guid after the common one: roll back first",
            list(S1, S2, S3), list(S1, S2_ELSEWHERE), TransferStep.rollbackTarget(S1)),
        row("target ahead of a source that was rolled back: roll back to the source's newest",
            list(S1, S2), list(S1, S2, S3_ELSEWHERE), TransferStep.rollbackTarget(S2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void plansTheNextStep(String description, List<Snapshot> source, List<Snapshot> target, TransferStep expected) {
    assertThat(TransferPlanner.plan(source, Optional.ofNullable(target))).isEqualTo(expected);
  }

  static Stream<Arguments> diverged() {
    return Stream.of(
        row("no common guid although names match", list(S1, S2), list(S2_ELSEWHERE), "share no guid"),
        row("unrelated history", list(S1, S2), list(T1), "no common history"),
        row("target copy without snapshots", list(S1), list(), "without snapshots"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("diverged")
  void refusesDivergedCopiesAndSaysWhy(String description, List<Snapshot> source, List<Snapshot> target, String reason) {
    assertThat(TransferPlanner.plan(source, Optional.of(target)))
        .isInstanceOfSatisfying(Diverged.class, d -> assertThat(d.reason()).contains(reason));
  }

  @Test
  void theNewestCommonSnapshotIsTheBaseTheControllerPutsInTheTicket() {
    assertThat(TransferPlanner.newestCommon(list(S1, S2, S3), list(S1, S2_RENAMED, T1))).contains(S2_RENAMED);
    assertThat(TransferPlanner.newestCommon(list(S1, S2), list(T1))).isEmpty();
    assertThat(TransferPlanner.newestCommon(list(S1), list())).isEmpty();
  }

  @Test
  void needsASourceSnapshot() {
    assertThatIllegalArgumentException().isThrownBy(() -> TransferPlanner.plan(List.of(), Optional.empty()))
        .withMessageContaining("take one");
  }

  private static Arguments row(Object... cells) {
    return Arguments.of(cells);
  }

  private static List<Snapshot> list(Snapshot... snapshots) {
    return Arrays.asList(snapshots);
  }

  private static Snapshot snap(String name, String guid) {
    return new Snapshot(name, guid, Instant.EPOCH);
  }
}
