package dev.ferry.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({
      "500ms, 500",
      "30s, 30000",
      "5m, 300000",
      "1h30m, 5400000",
      "2d, 172800000",
      "1m30s250ms, 90250",
      "0s, 0",
  })
  void parsesAndFormatsTheSameWay(String text, long millis) {
    Duration d = Durations.parse(text);
    assertThat(d.toMillis()).isEqualTo(millis);
    assertThat(Durations.format(d)).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "30", "5 m", "1.5s", "-5s", "30s5m", "1y", "PT30S", "5mm"})
  void refusesOtherForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration");
  }
}
