package dev.ferry.e2e.bench;

import dev.ferry.api.model.MigrationStrategy;
import dev.ferry.api.model.Quantity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code ./ferry bench migration}, checked before anything starts: a bad one is
 * an {@link IllegalArgumentException} naming the option and what is wrong.
 *
 * @param sizes the dataset sizes to fill to, smallest first, each as given ({@code 64Mi})
 * @param runs migrations per size and strategy, alternating node1 to node2 and back
 * @param strategies the strategies to measure, in the order given
 * @param writeRate writes per second of the client that writes during the moves
 */
record MigrationBenchOptions(List<Quantity> sizes, int runs, List<MigrationStrategy> strategies, int writeRate) {

  static final String USAGE = "usage: ./ferry bench migration [--sizes 64Mi,1Gi,4Gi] [--runs 5]"
      + " [--strategies PreCopy,StopAndCopy] [--write-rate N]";
  /** Larger than this would not fit one machine's pools twice over. */
  static final Quantity MAX_SIZE = Quantity.gibibytes(64);

  MigrationBenchOptions {
    sizes = List.copyOf(sizes);
    strategies = List.copyOf(strategies);
  }

  static MigrationBenchOptions parse(String... args) {
    List<Quantity> sizes = List.of(Quantity.parse("64Mi"), Quantity.parse("1Gi"), Quantity.parse("4Gi"));
    int runs = 5;
    List<MigrationStrategy> strategies = List.of(MigrationStrategy.PreCopy, MigrationStrategy.StopAndCopy);
    int writeRate = 100;
    for (Map.Entry<String, String> pair : BenchArgs.pairs(args, 0, USAGE)) {
      String option = pair.getKey();
      String value = pair.getValue();
      switch (option) {
        case "--sizes" -> sizes = sizes(value);
        case "--runs" -> runs = BenchArgs.wholeNumber(option, value, 1000);
        case "--strategies" -> strategies = strategies(value);
        case "--write-rate" -> writeRate = BenchArgs.wholeNumber(option, value, 10_000);
        default -> throw new IllegalArgumentException("unknown option '" + option + "'; " + USAGE);
      }
    }
    return new MigrationBenchOptions(sizes, runs, strategies, writeRate);
  }

  private static List<Quantity> sizes(String value) {
    List<Quantity> sizes = new ArrayList<>();
    for (String text : value.split(",", -1)) {
      Quantity q;
      try {
        q = Quantity.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--sizes: " + e.getMessage());
      }
      if (q.bytes() < (1 << 20) || q.compareTo(MAX_SIZE) > 0) {
        throw new IllegalArgumentException("--sizes: '" + text + "' must be between 1Mi and " + MAX_SIZE.text());
      }
      if (sizes.contains(q)) {
        throw new IllegalArgumentException("--sizes: '" + text + "' is given twice");
      }
      sizes.add(q);
    }
    sizes.sort(null);
    return sizes;
  }

  private static List<MigrationStrategy> strategies(String value) {
    LinkedHashSet<MigrationStrategy> strategies = new LinkedHashSet<>();
    for (String text : value.split(",", -1)) {
      MigrationStrategy s = Arrays.stream(MigrationStrategy.values()).filter(v -> v.name().equals(text)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("--strategies: '" + text + "' is not one of "
              + Arrays.toString(MigrationStrategy.values())));
      if (!strategies.add(s)) {
        throw new IllegalArgumentException("--strategies: '" + text + "' is given twice");
      }
    }
    return List.copyOf(strategies);
  }
}
