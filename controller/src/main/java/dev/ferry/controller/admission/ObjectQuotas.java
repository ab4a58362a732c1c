package dev.ferry.controller.admission;

import dev.ferry.api.model.Kind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many objects of each kind may exist, so that no user (or GitSource) can fill etcd, and
 * every list, watch and reconcile pass over a kind stays bounded. Checked when a user or GitOps
 * creates an object ({@link Applier}); the controller's own writes (Events, Datasets it makes,
 * Node registrations) are not counted against it. Migrations are also bounded by the history
 * limit, which deletes finished ones past the newest few per StatefulApp.
 *
 * <p>The check counts what etcd holds when the create is admitted: creates racing each other
 * may pass the cap by as many as race, as Kubernetes' quota may before it settles.
 *
 * @param caps the cap by kind plural; every kind has one
 */
public record ObjectQuotas(Map<String, Integer> caps) {

  /** The defaults: generous for one cluster, small enough that a full kind lists in seconds. */
  public static final ObjectQuotas DEFAULTS = new ObjectQuotas(Map.of(
      Kind.STATEFUL_APP.plural(), 10_000,
      Kind.DATASET.plural(), 10_000,
      Kind.MIGRATION.plural(), 10_000,
      Kind.GIT_SOURCE.plural(), 1_000,
      Kind.NODE.plural(), 1_000,
      Kind.EVENT.plural(), 100_000));

  public ObjectQuotas {
    caps = Map.copyOf(caps);
    for (Kind<?, ?, ?> kind : Kind.ALL) {
      Integer cap = caps.get(kind.plural());
      if (cap == null || cap < 1) {
        throw new IllegalArgumentException("quotas." + kind.plural() + " must be 1 or more, not " + cap);
      }
    }
  }

  /** The cap of one kind. */
  public int cap(Kind<?, ?, ?> kind) {
    return caps.get(kind.plural());
  }

  /** These quotas with {@code kind}'s cap set to {@code cap}. */
  public ObjectQuotas with(Kind<?, ?, ?> kind, int cap) {
    Map<String, Integer> changed = new LinkedHashMap<>(caps);
    changed.put(kind.plural(), cap);
    return new ObjectQuotas(changed);
  }

  /**
   * Refuses one more object of {@code kind} when {@code existing} already reach the cap.
   *
   * @throws AdmissionException (403 Forbidden) naming the kind, the cap and the setting
   */
  void admitOneMore(Kind<?, ?, ?> kind, long existing) {
    int cap = cap(kind);
    if (existing >= cap) {
      throw AdmissionException.overQuota("exceeded quota: " + kind.plural() + " is limited to " + cap
          + " and " + existing + " exist; delete some first, or raise quotas." + kind.plural()
          + " in the controller's config");
    }
  }
}
