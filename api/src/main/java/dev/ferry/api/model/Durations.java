package dev.ferry.api.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as users write them in manifests and flags: {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 1h30m}, {@code 2d}. A sequence of whole numbers each followed by a unit, largest unit
 * first, each unit at most once. Ferry writes them back in the same form.
 */
public final class Durations {

  private static final Pattern FORMAT =
      Pattern.compile("(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m(?!s))?(?:([0-9]+)s)?(?:([0-9]+)ms)?");

  public static final String EXPECTED =
      "a duration such as 500ms, 30s, 5m, 1h30m or 2d (units d, h, m, s, ms, largest first)";

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("must be " + EXPECTED);
    }
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration: must be " + EXPECTED);
    }
    try {
      Duration d = Duration.ZERO;
      d = d.plusDays(part(m, 1)).plusHours(part(m, 2)).plusMinutes(part(m, 3));
      return d.plusSeconds(part(m, 4)).plusMillis(part(m, 5));
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration", e);
    }
  }


  /** Formats a duration the way {@link #parse} reads it; zero is {@code 0s}. */
  public static String format(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a duration cannot be negative: " + d);
    }
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    append(out, d.toDaysPart(), "d");
    append(out, d.toHoursPart(), "h");
    append(out, d.toMinutesPart(), "m");
    append(out, d.toSecondsPart(), "s");
    append(out, d.toMillisPart(), "ms");
    return out.toString();
  }

  private static void append(StringBuilder out, long value, String unit) {
    if (value > 0) {
      out.append(value).append(unit);
    }
  }

  private static long part(Matcher m, int group) {
    String g = m.group(group);
    return g == null ? 0 : Long.parseLong(g);
  }
}
