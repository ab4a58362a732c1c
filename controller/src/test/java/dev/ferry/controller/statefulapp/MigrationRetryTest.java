package dev.ferry.controller.statefulapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.MigrationStatus;
import dev.ferry.api.model.ObjectMeta;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MigrationRetryTest {

  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  private static Migration ended(String app, MigrationPhase phase, int minute) {
    return new Migration(ObjectMeta.named(app + "-" + minute), new MigrationSpec(app, "d", "node1", "node2", null, null, 0))
        .withStatus(MigrationStatus.EMPTY.finished(phase, T0.plusSeconds(60L * minute), null, ""));
  }

  @Test
  void countsTheFailuresSinceTheLastSuccessOfThisAppOnly() {
    List<Migration> all = List.of(ended("db", MigrationPhase.RolledBack, 1), ended("db", MigrationPhase.Succeeded, 2),
        ended("db", MigrationPhase.Failed, 3), ended("db", MigrationPhase.RolledBack, 4),
        ended("other", MigrationPhase.Failed, 5));

    MigrationRetry retry = MigrationRetry.of("db", all);

    assertThat(retry).isEqualTo(new MigrationRetry(2, Optional.of(T0.plusSeconds(240))));
    assertThat(retry.waitLeft(T0.plusSeconds(240))).contains(Duration.ofSeconds(60));
    assertThat(retry.waitLeft(T0.plusSeconds(300))).isEmpty();
  }

  @Test
  void noFailuresMeansNoWait() {
    assertThat(MigrationRetry.of("db", List.of(ended("db", MigrationPhase.Succeeded, 1)))).isEqualTo(MigrationRetry.NONE);
    assertThat(MigrationRetry.NONE.waitLeft(T0)).isEmpty();
  }
}
