package dev.ferry.agent.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.Snapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SnapshotPruningTest {

  private static final Snapshot A0 = snap("ferry-a-0", "10");
  private static final Snapshot A1 = snap("ferry-a-1", "11");
  private static final Snapshot A2 = snap("ferry-a-2", "12");
  private static final Snapshot A3 = snap("ferry-a-3", "13");
  private static final Snapshot MANUAL = snap("before-upgrade", "50");
  private static final Set<String> NONE_HELD = Set.of();

  static Stream<Arguments> cases() {
    return Stream.of(
        row("after a move: only the newest shared snapshot stays", List.of(A0, A1, A2), NONE_HELD,
            Map.of("node2", copy(A0, A1, A2)), List.of(A0, A1)),
        row("no other copy: nothing is known to be shared, nothing goes", List.of(A0, A1), NONE_HELD,
            Map.of(), List.of()),
        row("the other copy shares nothing: nothing goes", List.of(A0, A1), NONE_HELD,
            Map.of("node2", copy(snap("ferry-b-0", "90"))), List.of()),
        row("this node's own report is not another copy", List.of(A0, A1), NONE_HELD,
            Map.of("node1", copy(A0, A1)), List.of()),
        row("snapshots newer than the newest shared one stay (a round in flight)", List.of(A0, A1, A2, A3), NONE_HELD,
            Map.of("node2", copy(A0, A1)), List.of(A0)),
        row("held snapshots stay", List.of(A0, A1, A2), Set.of("ferry-a-0"),
            Map.of("node2", copy(A0, A1, A2)), List.of(A1)),
        row("snapshots not named ferry-* stay", List.of(A0, MANUAL, A1, A2), NONE_HELD,
            Map.of("node2", copy(A0, A1, A2)), List.of(A0, A1)),
        row("each other copy keeps its own newest shared snapshot", List.of(A0, A1, A2, A3), NONE_HELD,
            Map.of("node2", copy(A0, A1, A2, A3), "node3", copy(A0, A1)), List.of(A0, A2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void prunes(String description, List<Snapshot> local, Set<String> held, Map<String, DatasetCopy> copies,
      List<Snapshot> expected) {
    assertThat(SnapshotPruning.prunable("node1", local, held, copies)).isEqualTo(expected);
  }

  private static DatasetCopy copy(Snapshot... snapshots) {
    return new DatasetCopy(List.of(snapshots), 0, 0, true, true, Instant.EPOCH);
  }

  private static Arguments row(Object... cells) {
    return Arguments.of(cells);
  }

  private static Snapshot snap(String name, String guid) {
    return new Snapshot(name, guid, Instant.EPOCH);
  }
}
