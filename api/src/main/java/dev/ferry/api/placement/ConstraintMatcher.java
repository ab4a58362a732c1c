package dev.ferry.api.placement;

import com.google.re2j.Pattern;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides whether a node may take one more task of an app, as Marathon's {@code Constraints}
 * does: the constraint, the candidate node, and the nodes the app's tasks already run on (one
 * entry per task, so a node appears as often as it holds tasks).
 *
 * <ul>
 *   <li>{@code CLUSTER v}: the node's value is {@code v}; without a value, all tasks share the
 *       value of the first one placed.
 *   <li>{@code LIKE re} / {@code UNLIKE re}: the value fully matches / does not match {@code re}.
 *       Only {@code UNLIKE} accepts a node that lacks the attribute. Users write these patterns,
 *       so they run on RE2/J, in time linear in the value: no pattern can stall the reconcile
 *       loop by backtracking (RE2 has no backreferences or lookaround; validation says so).
 *   <li>{@code UNIQUE}: no task yet on a node with the same value.
 *   <li>{@code MAX_PER n}: fewer than {@code n} tasks on nodes with the same value.
 *   <li>{@code GROUP_BY [n]}: spread evenly over the values: a value not used yet is always
 *       fine; a used one only when at least {@code n} values are in use and it holds the fewest.
 *   <li>{@code IS v}: the value equals {@code v} (numerically when both are numbers).
 * </ul>
 *
 * <p>Values that validation rejects (a bad regex, a non-integer count) throw
 * {@link IllegalArgumentException}; validate before matching.
 */
public final class ConstraintMatcher {

  private ConstraintMatcher() {}

  /** Whether {@code node} satisfies every constraint given the tasks already {@code placed}. */
  public static boolean matchesAll(
      List<Constraint> constraints, NodeOffer node, Collection<NodeOffer> placed) {
    return constraints.stream().allMatch(c -> matches(c, node, placed));
  }

  /** Whether {@code node} satisfies {@code constraint} given the tasks already {@code placed}. */
  public static boolean matches(Constraint constraint, NodeOffer node, Collection<NodeOffer> placed) {
    Optional<String> value = node.valueOf(constraint);
    if (value.isEmpty()) {
      return constraint.operator() == Operator.UNLIKE;
    }
    String mine = value.get();
    return switch (constraint.operator()) {
      case CLUSTER -> cluster(constraint, mine, placed);
      case LIKE -> fullyMatches(constraint, mine);
      case UNLIKE -> !fullyMatches(constraint, mine);
      case IS -> sameValue(constraint.valueOrEmpty(), mine);
      case UNIQUE -> countsBy(constraint, placed).getOrDefault(mine, 0L) == 0;
      case MAX_PER -> countsBy(constraint, placed).getOrDefault(mine, 0L) < count(constraint);
      case GROUP_BY -> groupBy(constraint, mine, placed);
    };
  }

  private static boolean cluster(Constraint constraint, String mine, Collection<NodeOffer> placed) {
    if (constraint.value().filter(v -> !v.isEmpty()).isPresent()) {
      return mine.equals(constraint.value().get());
    }
    return placed.stream().findFirst()
        .flatMap(first -> first.valueOf(constraint))
        .map(mine::equals)
        .orElse(true);
  }

  private static boolean groupBy(Constraint constraint, String mine, Collection<NodeOffer> placed) {
    Map<String, Long> groups = countsBy(constraint, placed);
    Long here = groups.get(mine);
    if (here == null) {
      return true;
    }
    long minimumGroups = constraint.value().filter(v -> !v.isEmpty()).isPresent() ? count(constraint) : 0;
    long smallest = groups.values().stream().mapToLong(Long::longValue).min().orElse(0);
    return groups.size() >= minimumGroups && here == smallest;
  }

  private static Map<String, Long> countsBy(Constraint constraint, Collection<NodeOffer> placed) {
    return placed.stream()
        .map(p -> p.valueOf(constraint))
        .flatMap(Optional::stream)
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  private static boolean fullyMatches(Constraint constraint, String mine) {
    try {
      return Pattern.compile(constraint.valueOrEmpty()).matches(mine);
    } catch (com.google.re2j.PatternSyntaxException e) {
      throw new IllegalArgumentException("'" + constraint.valueOrEmpty() + "' is not a valid regular expression", e);
    }
  }

  private static boolean sameValue(String wanted, String mine) {
    if (wanted.equals(mine)) {
      return true;
    }
    try {
      return Double.parseDouble(wanted) == Double.parseDouble(mine);
    } catch (NumberFormatException text) {
      return false;
    }
  }

  private static long count(Constraint constraint) {
    String v = Objects.requireNonNull(constraint.valueOrEmpty());
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(constraint.operator() + " requires an integer value, got '" + v + "'", e);
    }
  }
}
