package dev.ferry.controller.statefulapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.MigrationStatus;
import dev.ferry.api.model.ObjectMeta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MigrationHistoryTest {

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  private static Migration ended(String app, int minute, MigrationPhase phase) {
    return new Migration(ObjectMeta.named(app + "-" + minute), new MigrationSpec(app, "d", "node1", "node2", null, null, 0))
        .withStatus(MigrationStatus.EMPTY.finished(phase, T0.plusSeconds(60L * minute), null, ""));
  }

  private static Migration running(String app, int minute, MigrationPhase phase) {
    Migration m = new Migration(ObjectMeta.named(app + "-" + minute),
        new MigrationSpec(app, "d", "node1", "node2", null, null, 0));
    return m.withStatus(new MigrationStatus(0, phase, List.of(), null, 0, T0, null, null, null, "", List.of(), null));
  }

  private static List<String> names(List<Migration> migrations) {
    return migrations.stream().map(Migration::name).toList();
  }

  @Test
  void theEleventhFinishedMigrationIsPrunedWhileRunningOnesAndTheNewestTenStay() {
    List<Migration> all = new ArrayList<>();
    // Listed by name, not by age: the order in which they finished decides.
    for (int minute = 11; minute >= 1; minute--) {
      all.add(ended("db", minute, minute % 3 == 0 ? MigrationPhase.RolledBack : MigrationPhase.Succeeded));
    }
    all.add(running("db", 0, MigrationPhase.PreCopy));
    all.add(running("db", 12, MigrationPhase.Pending));
    all.add(ended("other", 0, MigrationPhase.Succeeded));

    assertThat(names(MigrationHistory.prunable("db", all, 10, Optional.empty()))).containsExactly("db-1");
    assertThat(names(MigrationHistory.prunable("db", all, 8, Optional.empty()))).containsExactly("db-1", "db-2", "db-3");
    assertThat(names(MigrationHistory.prunable("db", all, 11, Optional.empty()))).isEmpty();
    assertThat(names(MigrationHistory.prunable("db", all, 0, Optional.empty()))).hasSize(11)
        .doesNotContain("db-0", "db-12", "other-0");
  }

  @Test
  void theMigrationTheDatasetStillNamesStays() {
    List<Migration> all = new ArrayList<>();
    for (int minute = 1; minute <= 12; minute++) {
      all.add(ended("db", minute, MigrationPhase.Succeeded));
    }
    assertThat(names(MigrationHistory.prunable("db", all, 10, Optional.of("db-1")))).containsExactly("db-2");
  }
}
