package dev.ferry.controller.migration;

import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How long a migration spent in each phase it went through, from its {@code phaseTimes}: a phase
 * lasted until the next phase it entered (in the order of {@link MigrationPhase}), the last one
 * until {@code completionTime}. End phases (Succeeded, RolledBack, Failed) take no time, and
 * a phase whose end is unknown (the migration still runs) or before its start (a clock step) is
 * left out. Pure.
 */
public final class PhaseDurations {

  private PhaseDurations() {}

  public static Map<MigrationPhase, Duration> of(MigrationStatus status) {
    List<Map.Entry<MigrationPhase, Instant>> entered = new ArrayList<>(status.phaseTimes().entrySet());
    Map<MigrationPhase, Duration> out = new EnumMap<>(MigrationPhase.class);
    for (int i = 0; i < entered.size(); i++) {
      MigrationPhase phase = entered.get(i).getKey();
      if (phase.isFinished()) {
        continue;
      }
      Instant start = entered.get(i).getValue();
      Instant end = i + 1 < entered.size() ? entered.get(i + 1).getValue() : status.completionTime();
      if (end != null && !end.isBefore(start)) {
        out.put(phase, Duration.between(start, end));
      }
    }
    return out;
  }
}
