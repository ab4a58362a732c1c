package dev.ferry.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.TransferState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The figures of a run, from the times the benchmark observed: tables of cases. */
class MigrationRunTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Stream<Arguments> gaps() {
    long s = 1_000_000_000L;
    return Stream.of(
        Arguments.of("steady writes: the pace", List.of(0L, s / 10, 2 * s / 10, 3 * s / 10), 0L, 3 * s / 10, 0.1),
        Arguments.of("a pause inside the window", List.of(0L, s, 3 * s, 3 * s + s / 10), s / 2, 3 * s + s / 10, 2.0),
        Arguments.of("the gap spanning the window's start counts whole", List.of(0L, 4 * s, 5 * s), 2 * s, 5 * s, 4.0),
        Arguments.of("a gap after the window does not count", List.of(0L, s, 2 * s, 9 * s), 0L, 2 * s, 1.0),
        Arguments.of("no write yet after the start: up to the window's end", List.of(0L), s, 3 * s, 3.0),
        Arguments.of("no writes at all", List.of(), s, 3 * s, 2.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gaps")
  void longestGapIsTheClientsDowntime(String what, List<Long> acks, long from, long to, double expected) {
    assertThat(MigrationRun.longestGapS(acks, from, to)).isCloseTo(expected, within(1e-9));
  }

  static Stream<Arguments> splits() {
    Map<MigrationPhase, Instant> all = Map.of(MigrationPhase.FinalSync, at(1000), MigrationPhase.Switch, at(3000),
        MigrationPhase.Start, at(3500));
    return Stream.of(
        Arguments.of("every moment seen", all, Optional.of(at(5000)), at(6000), List.of(1.0, 2.0, 0.5, 1.5, 1.0)),
        Arguments.of("task start not known: start runs to completion, ready is 0", all, Optional.empty(), at(6000),
            List.of(1.0, 2.0, 0.5, 2.5, 0.0)),
        Arguments.of("Switch never seen: its time goes to the phase before",
            Map.of(MigrationPhase.FinalSync, at(1000), MigrationPhase.Start, at(3500)), Optional.of(at(5000)), at(6000),
            List.of(1.0, 2.5, 0.0, 1.5, 1.0)),
        Arguments.of("a task start stamped after completion is clamped", all, Optional.of(at(6100)), at(6000),
            List.of(1.0, 2.0, 0.5, 2.5, 0.0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("splits")
  void phasesSplitTheControllersDowntimeAndAddUpToIt(String what, Map<MigrationPhase, Instant> seen,
      Optional<Instant> taskStarted, Instant completion, List<Double> expected) {
    Map<String, Double> split = MigrationRun.phaseSplit(at(0), seen, taskStarted, completion);

    assertThat(split.keySet()).containsExactlyElementsOf(MigrationRun.PHASES);
    assertThat(split.values()).containsExactlyElementsOf(expected);
    assertThat(split.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(6.0, within(1e-9));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("finalSyncs")
  void finalSyncSplitsAtTheFinalRoundsStates(String what, Map<TransferState, Instant> round, List<Double> expected) {
    Map<String, Double> split = MigrationRun.finalSyncSplit(Optional.of(at(0)), round, Optional.of(at(4000)));

    assertThat(split.keySet()).containsExactly("request", "pickup", "round", "record");
    assertThat(split.values()).containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> finalSyncs() {
    return Stream.of(
        Arguments.of("every state seen", Map.of(TransferState.Requested, at(100), TransferState.Running, at(600),
            TransferState.Succeeded, at(3600)), List.of(0.1, 0.5, 3.0, 0.4)),
        Arguments.of("Running never seen (the round was quicker than the watch)", Map.of(TransferState.Requested, at(100),
            TransferState.Succeeded, at(3600)), List.of(0.1, 0.0, 3.5, 0.4)));
  }

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }
}
