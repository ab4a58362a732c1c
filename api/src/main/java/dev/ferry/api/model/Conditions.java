package dev.ferry.api.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Merges freshly computed conditions into the ones an object already has, the way Kubernetes
 * does: {@code lastTransitionTime} moves only when a condition's status changes, so that
 * recomputing an unchanged status yields an equal value and the reconciler writes nothing.
 */
public final class Conditions {

  private Conditions() {}

  /**
   * The conditions to store: each of {@code computed} (whose transition times are ignored), with
   * the old transition time kept where the status did not change and {@code now} where it did.
   */
  public static List<Condition> merge(List<Condition> old, List<Condition> computed, Instant now) {
    List<Condition> out = new ArrayList<>();
    for (Condition c : computed) {
      Condition before = find(old, c.type());
      Instant since = before != null && Objects.equals(before.status(), c.status()) && before.lastTransitionTime() != null
          ? before.lastTransitionTime() : now;
      out.add(new Condition(c.type(), c.status(), c.reason(), c.message(), since, c.observedGeneration()));
    }
    return out;
  }

  /**
   * The conditions to store when a writer owns only some types: {@code computed} merged as {@link
   * #merge} does, every other type of {@code old} kept as it was (another writer's).
   */
  public static List<Condition> replace(List<Condition> old, List<Condition> computed, Instant now) {
    List<Condition> out = new ArrayList<>();
    for (Condition c : old) {
      if (find(computed, c.type()) == null) {
        out.add(c);
      }
    }
    out.addAll(merge(old, computed, now));
    return out;
  }

  /** A condition without its transition time, which {@link #merge} fills in. */
  public static Condition of(String type, boolean status, String reason, String message, long generation) {
    return new Condition(type, status ? Condition.TRUE : Condition.FALSE, reason, message, null, generation);
  }

  public static Condition find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }
}
