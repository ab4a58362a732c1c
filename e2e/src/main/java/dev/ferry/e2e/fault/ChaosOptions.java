package dev.ferry.e2e.fault;

import dev.ferry.e2e.bench.BenchArgs;
import java.util.Map;
import java.util.Random;

/**
 * The options of {@code ./ferry bench chaos N [--seed S] [--write-rate R]}, checked before
 * anything starts: a bad one is an {@link IllegalArgumentException} naming it and what is wrong.
 *
 * @param runs how many moves, each with one fault drawn at random
 * @param seed the draws' seed (printed, so that a run can be repeated)
 * @param writeRate writes per second of the client that writes during the moves
 */
record ChaosOptions(int runs, long seed, int writeRate) {

  static final String USAGE = "usage: ./ferry bench chaos N [--seed S] [--write-rate R]";
  static final int MAX_RUNS = 500;

  static ChaosOptions parse(String... args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("N, the number of faults, is required; " + USAGE);
    }
    int runs = BenchArgs.wholeNumber("N", args[0], MAX_RUNS);
    long seed = new Random().nextLong();
    int writeRate = 50;
    for (Map.Entry<String, String> pair : BenchArgs.pairs(args, 1, USAGE)) {
      String option = pair.getKey();
      String value = pair.getValue();
      switch (option) {
        case "--seed" -> {
          try {
            seed = Long.parseLong(value);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed must be a whole number, not '" + value + "'");
          }
        }
        case "--write-rate" -> writeRate = BenchArgs.wholeNumber(option, value, 1000);
        default -> throw new IllegalArgumentException("unknown option '" + option + "'; " + USAGE);
      }
    }
    return new ChaosOptions(runs, seed, writeRate);
  }
}
