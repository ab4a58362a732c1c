package dev.ferry.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChaosOptionsTest {

  @Test
  void takesTheCountTheSeedAndTheRate() {
    ChaosOptions o = ChaosOptions.parse("12", "--seed", "-7", "--write-rate", "20");

    assertThat(o.runs()).isEqualTo(12);
    assertThat(o.seed()).isEqualTo(-7);
    assertThat(o.writeRate()).isEqualTo(20);
  }

  @Test
  void sameSeedDrawsTheSameFaultsAndPhases() {
    java.util.SplittableRandom a = new java.util.SplittableRandom(ChaosOptions.parse("3", "--seed", "42").seed());
    java.util.SplittableRandom b = new java.util.SplittableRandom(42);

    assertThat(a.nextInt(ChaosBench.FAULTS.size())).isEqualTo(b.nextInt(ChaosBench.FAULTS.size()));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ''                 | N, the number of faults, is required
      0                  | N must be a whole number from 1 to 500, not '0'
      many               | N must be a whole number from 1 to 500, not 'many'
      3 --seed x         | --seed must be a whole number, not 'x'
      3 --seed           | --seed needs a value
      3 --write-rate 0   | --write-rate must be a whole number from 1 to 1000, not '0'
      3 --fast yes       | unknown option '--fast'
      """)
  void refusesBadOptionsNamingThem(String args, String message) {
    String[] split = args.isEmpty() ? new String[0] : args.split(" ");

    assertThatThrownBy(() -> ChaosOptions.parse(split)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aMoveIsSafeOnlyWhenItEndedAllowedWithNothingLostAndOneWriter() {
    assertThat(ChaosBench.safe(run("Succeeded", 0, false))).isTrue();
    assertThat(ChaosBench.safe(run("RolledBack", 0, false))).isTrue();
    assertThat(ChaosBench.safe(run("Failed", 0, false))).isFalse();
    assertThat(ChaosBench.safe(run("Stuck", 0, false))).isFalse();
    assertThat(ChaosBench.safe(run("Succeeded", 1, false))).isFalse();
    assertThat(ChaosBench.safe(run("Succeeded", 0, true))).isFalse();
  }

  private static FaultRun run(String outcome, long lost, boolean twoWriters) {
    return new FaultRun("kill -9 agent-node2", "FinalSync", "m", outcome, "", "node1", 10, lost, twoWriters, 1.0,
        java.util.List.of());
  }
}
