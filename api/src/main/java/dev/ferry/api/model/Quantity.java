package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes written the Kubernetes way: {@code 1048576}, {@code 500M}, {@code 64Mi},
 * {@code 1Gi}. Binary suffixes (Ki, Mi, Gi, Ti, Pi, Ei) are powers of 1024, decimal ones
 * (k, M, G, T, P, E) powers of 1000. Only whole bytes are allowed: Ferry sizes datasets and
 * deltas, where a fraction of a byte means nothing.
 *
 * <p>The text is kept as written so that a round trip does not rewrite the user's manifest.
 */
public record Quantity(long bytes, String text) implements Comparable<Quantity> {

  private static final Pattern FORMAT = Pattern.compile("([0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");
  private static final Map<String, Long> MULTIPLIERS = Map.ofEntries(
      Map.entry("", 1L),
      Map.entry("Ki", 1L << 10), Map.entry("Mi", 1L << 20), Map.entry("Gi", 1L << 30),
      Map.entry("Ti", 1L << 40), Map.entry("Pi", 1L << 50), Map.entry("Ei", 1L << 60),
      Map.entry("k", 1_000L), Map.entry("M", 1_000_000L), Map.entry("G", 1_000_000_000L),
      Map.entry("T", 1_000_000_000_000L), Map.entry("P", 1_000_000_000_000_000L),
      Map.entry("E", 1_000_000_000_000_000_000L));

  /** What a valid quantity looks like, for error messages and the schemas. */
  public static final String EXPECTED =
      "a whole number of bytes with an optional suffix Ki, Mi, Gi, Ti, Pi, Ei, k, M, G, T, P or E"
          + " (e.g. 64Mi, 1Gi, 500M)";

  public Quantity {
    if (bytes < 0) {
      throw new IllegalArgumentException("a quantity cannot be negative");
    }
    text = text == null || text.isEmpty() ? Long.toString(bytes) : text;
  }

  /**
   * Parses a quantity.
   *
   * @throws IllegalArgumentException naming what is wrong, when the text is not a quantity or
   *     does not fit in a signed 64-bit number of bytes
   */
  @JsonCreator
  public static Quantity parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("must be " + EXPECTED);
    }
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a quantity: must be " + EXPECTED);
    }
    String suffix = m.group(2) == null ? "" : m.group(2);
    try {
      long number = Long.parseLong(m.group(1));
      return new Quantity(Math.multiplyExact(number, MULTIPLIERS.get(suffix)), text.trim());
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large: at most 8Ei", e);
    }
  }

  @JsonCreator
  public static Quantity ofBytes(long bytes) {
    return new Quantity(bytes, Long.toString(bytes));
  }

  public static Quantity mebibytes(long mib) {
    return new Quantity(Math.multiplyExact(mib, 1L << 20), mib + "Mi");
  }

  public static Quantity gibibytes(long gib) {
    return new Quantity(Math.multiplyExact(gib, 1L << 30), gib + "Gi");
  }


  @JsonValue
  @Override
  public String text() {
    return text;
  }

  @Override
  public int compareTo(Quantity other) {
    return Long.compare(bytes, other.bytes);
  }

  /** Two quantities are equal when they are the same number of bytes, however written. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Quantity q && q.bytes == bytes;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(bytes);
  }

  @Override
  public String toString() {
    return text;
  }
}
