package dev.ferry.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

  @ParameterizedTest(name = "{0} = {1} bytes")
  @CsvSource({
      "0, 0",
      "1048576, 1048576",
      "1Ki, 1024",
      "64Mi, 67108864",
      "1Gi, 1073741824",
      "2Ti, 2199023255552",
      "500M, 500000000",
      "1k, 1000",
      "3G, 3000000000",
      "7Ei, 8070450532247928832",
  })
  void parsesBinaryAndDecimalSuffixes(String text, long bytes) {
    Quantity q = Quantity.parse(text);
    assertThat(q.bytes()).isEqualTo(bytes);
    assertThat(q.text()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Mi", "1.5Gi", "-1", "1 Gi", "1gi", "1MB", "1m", "0x10", "16Ei", "99999999999999999999"})
  void refusesWhatIsNotAWholeNumberOfBytes(String text) {
    assertThatThrownBy(() -> Quantity.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text.isEmpty() ? "quantity" : "'" + text + "'");
  }

  @ParameterizedTest
  @CsvSource({"1Gi, 1073741824", "1024Mi, 1Gi", "1000k, 1M"})
  void equalWhenTheSameNumberOfBytes(String a, String b) {
    assertThat(Quantity.parse(a)).isEqualTo(Quantity.parse(b)).hasSameHashCodeAs(Quantity.parse(b));
  }
}
