package dev.ferry.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.Snapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoundPlanTest {

  private static final Snapshot R0 = snap("r0", "10");
  private static final Snapshot R1 = snap("r1", "11");
  private static final Snapshot R2 = snap("r2", "12");
  private static final Snapshot OTHER = snap("x", "99");
  private static final Optional<List<Snapshot>> NO_COPY = Optional.empty();

  static Stream<Arguments> sends() {
    return Stream.of(
        row("no copy on the target, full ticket: full stream", List.of(R0), "r0", NO_COPY, "",
            new RoundPlan.Send(Optional.empty(), R0)),
        row("incremental from the ticket's base", List.of(R0, R1), "r1", Optional.of(List.of(R0)), "10",
            new RoundPlan.Send(Optional.of(R0), R1)),
        row("an older common base is fine: the receiver rolls back to it", List.of(R0, R1, R2), "r2",
            Optional.of(List.of(R0, R1)), "10", new RoundPlan.Send(Optional.of(R0), R2)),
        row("target holds extra snapshots of its own: the receiver rolls back", List.of(R0, R1), "r1",
            Optional.of(List.of(R0, OTHER)), "10", new RoundPlan.Send(Optional.of(R0), R1)),
        row("the stream got through before the agent died: nothing to send", List.of(R0, R1), "r1",
            Optional.of(List.of(R0, R1)), "10", new RoundPlan.AlreadyThere(R1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sends")
  void plans(String description, List<Snapshot> source, String snapshot, Optional<List<Snapshot>> target,
      String base, RoundPlan expected) {
    assertThat(RoundPlan.decide(source, snapshot, target, base)).isEqualTo(expected);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        row("full ticket but the target has a copy", List.of(R0, R1), "r1", Optional.of(List.of(R0)), "",
            "a full stream that would overwrite it; the newest snapshot both hold is r0 (guid 10)"),
        row("incremental ticket but no copy on the target", List.of(R0, R1), "r1", NO_COPY, "10",
            "request a full stream"),
        row("base the target does not hold", List.of(R0, R1, R2), "r2", Optional.of(List.of(R0)), "11",
            "not a snapshot before r2 that both nodes hold; the newest snapshot both hold is r0"),
        row("base newer than the round's snapshot", List.of(R0, R1, R2), "r1", Optional.of(List.of(R0, R2)), "12",
            "not a snapshot before r1"),
        row("copies without common history", List.of(R0, R1), "r1", Optional.of(List.of(OTHER)), "10",
            "no common history"),
        row("the round's snapshot is missing", List.of(R0), "r1", NO_COPY, "", "the source has no snapshot r1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesAndSaysWhatWouldFit(String description, List<Snapshot> source, String snapshot,
      Optional<List<Snapshot>> target, String base, String reason) {
    assertThat(RoundPlan.decide(source, snapshot, target, base))
        .isInstanceOfSatisfying(RoundPlan.Refuse.class, r -> assertThat(r.reason()).contains(reason));
  }

  private static Arguments row(Object... cells) {
    return Arguments.of(cells);
  }

  private static Snapshot snap(String name, String guid) {
    return new Snapshot(name, guid, Instant.EPOCH);
  }
}
