package dev.ferry.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.model.MigrationStrategy;
import dev.ferry.api.model.Quantity;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MigrationBenchOptionsTest {

  @Test
  void defaultsAreTheIssuesFigures() {
    MigrationBenchOptions o = MigrationBenchOptions.parse();

    assertThat(o.sizes()).extracting(Quantity::text).containsExactly("64Mi", "1Gi", "4Gi");
    assertThat(o.runs()).isEqualTo(5);
    assertThat(o.strategies()).containsExactly(MigrationStrategy.PreCopy, MigrationStrategy.StopAndCopy);
  }

  @Test
  void sizesAreKeptAsGivenAndSortedSmallestFirst() {
    MigrationBenchOptions o = MigrationBenchOptions.parse("--sizes", "1Gi,64Mi", "--runs", "3", "--strategies",
        "StopAndCopy", "--write-rate", "20");

    assertThat(o.sizes()).extracting(Quantity::text).containsExactly("64Mi", "1Gi");
    assertThat(o.runs()).isEqualTo(3);
    assertThat(o.strategies()).containsExactly(MigrationStrategy.StopAndCopy);
    assertThat(o.writeRate()).isEqualTo(20);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      --sizes      | 64Mi,lots    | --sizes: 'lots' is not a quantity
      --sizes      | 512Ki        | --sizes: '512Ki' must be between 1Mi and 64Gi
      --sizes      | 64Mi,64Mi    | --sizes: '64Mi' is given twice
      --sizes      | 64Mi,        | --sizes: '' is not a quantity
      --runs       | 0            | --runs must be a whole number from 1 to 1000, not '0'
      --runs       | five         | --runs must be a whole number from 1 to 1000, not 'five'
      --strategies | PreCopy,Rsync| --strategies: 'Rsync' is not one of [PreCopy, StopAndCopy]
      --write-rate | -5           | --write-rate must be a whole number from 1 to 10000, not '-5'
      --size       | 64Mi         | unknown option '--size'
      """)
  void badOptionsAreRefusedNamingTheOption(String option, String value, String message) {
    assertThatThrownBy(() -> MigrationBenchOptions.parse(option, value))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  @Test
  void anOptionWithoutValueIsRefused() {
    assertThatThrownBy(() -> MigrationBenchOptions.parse("--runs")).hasMessageContaining("--runs needs a value");
  }

  @Test
  void aStrayArgumentIsRefused() {
    assertThatThrownBy(() -> MigrationBenchOptions.parse("migration")).hasMessageContaining("unexpected argument 'migration'");
  }
}
