package dev.ferry.controller.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.TransferRound;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreCopyEndTest {

  private static final long MIB = 1L << 20;
  private static final long MAX_FINAL_DELTA = 64 * MIB;
  private static final int MAX_ROUNDS = 10;

  /** Rounds as "MiB/ms" pairs separated by spaces; "MiB/-" for a round without a measured rate. */
  private static List<TransferRound> rounds(String text) {
    List<TransferRound> rounds = new ArrayList<>();
    for (String r : text.trim().split("\\s+")) {
      String[] f = r.split("/");
      long bytes = (long) (Double.parseDouble(f[0]) * MIB);
      Duration duration = f[1].equals("-") ? null : Duration.ofMillis(Long.parseLong(f[1]));
      rounds.add(new TransferRound(rounds.size(), "s" + rounds.size(), "g" + rounds.size(), "", bytes, duration));
    }
    return rounds;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      // the full copy streamed at 100 MiB/s: 8 MiB take 80 ms, within the 100 ms budget
      "1000/10000 8/900                 | true",
      // 12 MiB would take 120 ms at the best rate seen: one more round
      "1000/10000 12/900                | false",
      // a small round measures mostly fixed costs (0.1 MiB in 600 ms); the full copy's rate counts
      "1000/10000 0.1/600               | true",
      // at 10 MiB/s (a busy disk), 8 MiB take 800 ms: one more round, though far below maxFinalDelta
      "100/10000 8/900                  | false",
      // within the budget but more than maxFinalDelta: one more round
      "100000/10000 65/900              | false",
      // no rate reported (an older agent): maxFinalDelta alone decides
      "1000/- 12/-                      | true",
      "1000/- 65/-                      | false",
      // moved back to an old copy, no large round: 0.1 MiB in 600 ms then in 650 ms is the
      // rounds' fixed cost, which another round would pay again
      "0.15/600 0.1/650                 | true",
      "0.15/600 0.1/600                 | true",
      // while rounds still get faster, the rate they measure keeps pre-copy going
      "0.15/900 0.1/600                 | false",
      // deltas no longer shrink: more rounds would not help
      "1000/10000 30/900 30/900         | true",
      "1000/10000 30/900 20/600         | false",
      // maxRounds reached
      "1000/10000 30/900 29/900 28/900 27/900 26/900 25/900 24/900 23/900 22/900 | true",
  })
  void preCopyEndsWhenTheLastDeltaFitsTheTimeBudget(String rounds, boolean reached) {
    assertThat(PreCopyEnd.reached(rounds(rounds), MAX_FINAL_DELTA, MAX_ROUNDS)).isEqualTo(reached);
  }

  @ParameterizedTest(name = "{0}, {1} MiB: {2} ms")
  @CsvSource(delimiter = '|', value = {
      "1000/10000        | 8  | 80",
      "1000/10000 1/1000 | 8  | 80",
      "1000/-            | 8  | -1",
      "0/0               | 8  | -1",
  })
  void predictsTheSendTimeFromTheBestRateARoundStreamed(String rounds, long mib, long expectedMs) {
    var predicted = PreCopyEnd.predictedSend(rounds(rounds), mib * MIB);
    if (expectedMs < 0) {
      assertThat(predicted).isEmpty();
    } else {
      assertThat(predicted).hasValue(Duration.ofMillis(expectedMs));
    }
  }
}
