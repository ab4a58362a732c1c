package dev.ferry.controller.migration;

import static dev.ferry.api.model.MigrationPhase.FinalSync;
import static dev.ferry.api.model.MigrationPhase.Planned;
import static dev.ferry.api.model.MigrationPhase.PreCopy;
import static dev.ferry.api.model.MigrationPhase.Quiesce;
import static dev.ferry.api.model.MigrationPhase.RolledBack;
import static dev.ferry.api.model.MigrationPhase.Start;
import static dev.ferry.api.model.MigrationPhase.Succeeded;
import static dev.ferry.api.model.MigrationPhase.Switch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PhaseDurationsTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** phase entered at second N (in pairs), completion second (-1: none), expected seconds per phase. */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a whole move", times(Planned, 0, PreCopy, 1, Quiesce, 61, FinalSync, 62, Switch, 64,
            Start, 65, Succeeded, 70), 70, Map.of(Planned, 1L, PreCopy, 60L, Quiesce, 1L, FinalSync, 2L, Switch, 1L, Start, 5L)),
        Arguments.of("rolled back from Quiesce", times(Planned, 0, PreCopy, 2, Quiesce, 5, RolledBack, 9), 9,
            Map.of(Planned, 2L, PreCopy, 3L, Quiesce, 4L)),
        Arguments.of("still running: the current phase has no end", times(Planned, 0, PreCopy, 3), -1,
            Map.of(Planned, 3L)),
        Arguments.of("no phase times at all", times(), -1, Map.of()),
        Arguments.of("a clock step backwards leaves that phase out", times(Planned, 10, PreCopy, 5, Succeeded, 8), 8,
            Map.of(PreCopy, 3L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachPhaseLastsUntilTheNext(String name, Map<MigrationPhase, Instant> times, long completion,
      Map<MigrationPhase, Long> expected) {
    MigrationStatus status = new MigrationStatus(0, MigrationPhase.PreCopy, null, null, 0, null, null,
        completion < 0 ? null : T0.plusSeconds(completion), null, "", null, times);

    Map<MigrationPhase, Duration> got = PhaseDurations.of(status);

    Map<MigrationPhase, Duration> want = new EnumMap<>(MigrationPhase.class);
    expected.forEach((phase, seconds) -> want.put(phase, Duration.ofSeconds(seconds)));
    assertThat(got).isEqualTo(want);
  }

  private static Map<MigrationPhase, Instant> times(Object... pairs) {
    Map<MigrationPhase, Instant> out = new EnumMap<>(MigrationPhase.class);
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((MigrationPhase) pairs[i], T0.plusSeconds((Integer) pairs[i + 1]));
    }
    return out;
  }
}
