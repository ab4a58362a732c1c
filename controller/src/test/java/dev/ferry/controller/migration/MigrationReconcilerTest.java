package dev.ferry.controller.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationStatus;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the migration reconciler looks again after each kind of step. */
class MigrationReconcilerTest {

  @Test
  void afterAMarathonWriteTheMigrationLooksAgainSoonWithoutWaitingForAnEvent() {
    assertThat(MigrationReconciler.afterStep(new MigrationStep.StopApp()).requeueAfter())
        .contains(MigrationReconciler.AFTER_MARATHON_WRITE);
    assertThat(MigrationReconciler.afterStep(new MigrationStep.StartApp()).requeueAfter())
        .contains(MigrationReconciler.AFTER_MARATHON_WRITE);
    assertThat(MigrationReconciler.AFTER_MARATHON_WRITE).isLessThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aWaitLooksAgainWhenItSaysAndAnEtcdWriteWaitsForItsWatch() {
    assertThat(MigrationReconciler.afterStep(new MigrationStep.Wait("x", Duration.ofSeconds(3))).requeueAfter())
        .contains(Duration.ofSeconds(3));
    assertThat(MigrationReconciler.afterStep(new MigrationStep.UpdateStatus(
        MigrationStatus.EMPTY.withPhase(MigrationPhase.Planned, "", java.time.Instant.EPOCH))).requeueAfter())
        .isEqualTo(Optional.empty());
  }
}
