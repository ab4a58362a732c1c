package dev.ferry.e2e.bench;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code --option value} pairs of a bench's command line, read the one way every bench reads
 * them, so that the same mistake gets the same message whichever bench it is made on.
 */
public final class BenchArgs {

  private BenchArgs() {}

  /**
   * The pairs from {@code args[from]} on, in order; an option without its value, or a word where
   * an option should be, is an {@link IllegalArgumentException} ending with {@code usage}.
   */
  public static List<Map.Entry<String, String>> pairs(String[] args, int from, String usage) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (int i = from; i < args.length; i += 2) {
      String option = args[i];
      if (!option.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + option + "'; " + usage);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value; " + usage);
      }
      pairs.add(new SimpleImmutableEntry<>(option, args[i + 1]));
    }
    return pairs;
  }

  /** {@code value} as a whole number from 1 to {@code max}, else an error naming {@code option}. */
  public static int wholeNumber(String option, String value, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Falls through to the error below, which says what is expected.
    }
    throw new IllegalArgumentException(option + " must be a whole number from 1 to " + max + ", not '" + value + "'");
  }
}
