package dev.ferry.agent.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.model.DatasetCopy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UsageThresholdTest {

  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
  private static final UsageThreshold USAGE = new UsageThreshold(1000, Duration.ofSeconds(60));

  @ParameterizedTest(name = "used {0}, available {1}, {2} s later: due {3}")
  @CsvSource({
      "5000, 5000, 120, false",  // unchanged
      "5999, 5000, 120, false",  // below the threshold
      "4001, 5000, 120, false",  // below the threshold, shrinking
      "6000, 5000, 120, true",   // at the threshold
      "5000, 3000, 120, true",   // available moved (another dataset filled the pool)
      "9000, 5000, 59, false",   // far enough, too soon
      "9000, 5000, 60, true",    // far enough, the interval passed
  })
  void dueOnlyWhenMovedByTheThresholdAndTheIntervalPassed(long used, long available, long later, boolean due) {
    DatasetCopy reported = new DatasetCopy(List.of(), 5000, 5000, true, false, T0);
    assertThat(USAGE.due(reported, used, available, T0.plusSeconds(later))).isEqualTo(due);
  }

  @Test
  void aReportWithoutATimeIsNeverTooRecent() {
    DatasetCopy reported = new DatasetCopy(List.of(), 5000, 5000, true, false, null);
    assertThat(USAGE.due(reported, 7000, 5000, T0)).isTrue();
  }

  @Test
  void refusesANonPositiveThreshold() {
    assertThatThrownBy(() -> new UsageThreshold(0, Duration.ZERO)).hasMessageContaining("threshold must be positive");
  }
}
