package dev.ferry.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakBenchTest {

  @Test
  void comparesTheTenMovesAfterTheWarmUpWithTheLastTen() {
    List<SoakBench.Sample> samples = new ArrayList<>();
    for (int move = 1; move <= 50; move++) {
      // The warm-up's moves and the middle ones are left out of the verdict.
      int fds = move <= 10 ? 5 : move <= 20 ? 100 : move <= 40 ? 999 : 120;
      int threads = move <= 10 ? 20 + move : 40;
      samples.add(new SoakBench.Sample(move, "controller", fds, threads, 30.0));
    }

    Map<String, double[]> figures = SoakBench.verdict(samples, 50, 10).get("controller");

    assertThat(figures.get("fds")).containsExactly(5.0, 100.0, 120.0);
    assertThat(figures.get("threads")).containsExactly(25.5, 40.0, 40.0);
    assertThat(figures.get("heapMiB")[2]).isCloseTo(30.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void fewMovesCompareTheFirstAndLastHalf() {
    List<SoakBench.Sample> samples = List.of(new SoakBench.Sample(1, "agent-node1", 10, 20, 5),
        new SoakBench.Sample(2, "agent-node1", 10, 20, 5), new SoakBench.Sample(3, "agent-node1", 12, 20, 5),
        new SoakBench.Sample(4, "agent-node1", 14, 20, 5));

    assertThat(SoakBench.verdict(samples, 4, 0).get("agent-node1").get("fds")).containsExactly(10.0, 10.0, 13.0);
    assertThat(SoakBench.verdict(samples, 4, 2).get("agent-node1").get("fds")).containsExactly(10.0, 12.0, 14.0);
  }
}
