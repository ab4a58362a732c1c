package dev.ferry.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts, as {@code diff -u} prints it, with the whole text as one hunk
 * (manifests are short; the context of every change is the object itself).
 */
final class LineDiff {

  private LineDiff() {}

  /** The diff, or empty when the texts are equal. */
  static String unified(String fromName, String from, String toName, String to) {
    if (from.equals(to)) {
      return "";
    }
    List<String> a = from.isEmpty() ? List.of() : from.lines().toList();
    List<String> b = to.isEmpty() ? List.of() : to.lines().toList();
    StringBuilder out = new StringBuilder()
        .append("--- ").append(fromName).append('\n')
        .append("+++ ").append(toName).append('\n')
        .append("@@ -").append(a.isEmpty() ? 0 : 1).append(',').append(a.size())
        .append(" +").append(b.isEmpty() ? 0 : 1).append(',').append(b.size()).append(" @@\n");
    lines(a, b).forEach(l -> out.append(l).append('\n'));
    return out.toString();
  }

  /** Each line prefixed by ' ', '-' or '+', from the longest common subsequence. */
  private static List<String> lines(List<String> a, List<String> b) {
    int[][] common = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
        out.add(" " + a.get(i++));
        j++;
      } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
        // Removals before additions, as diff -u prints a changed line.
        out.add("-" + a.get(i++));
      } else {
        out.add("+" + b.get(j++));
      }
    }
    return out;
  }
}
