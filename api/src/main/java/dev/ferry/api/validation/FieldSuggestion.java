package dev.ferry.api.validation;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean": the known field a user most likely meant by an unknown one. A name that
 * differs only in case wins ({@code mountpath} → {@code mountPath}); otherwise the closest by
 * edit distance, if it is close enough to be a slip ({@code cpu} → {@code cpus},
 * {@code datset} → {@code dataset}): at most one edit for short names, two from six letters on.
 */
final class FieldSuggestion {

  private FieldSuggestion() {}

  static Optional<String> closest(String unknown, Collection<String> known) {
    String lower = unknown.toLowerCase(Locale.ROOT);
    Optional<String> sameLetters = known.stream().filter(k -> k.toLowerCase(Locale.ROOT).equals(lower)).findFirst();
    if (sameLetters.isPresent()) {
      return sameLetters;
    }
    int allowed = unknown.length() < 6 ? 1 : 2;
    return known.stream()
        .filter(k -> distance(lower, k.toLowerCase(Locale.ROOT)) <= allowed)
        .min(Comparator.comparingInt((String k) -> distance(lower, k.toLowerCase(Locale.ROOT))).thenComparing(k -> k));
  }

  /** Levenshtein distance: insertions, deletions and substitutions. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
