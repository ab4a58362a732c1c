package dev.ferry.controller.admission;

import java.util.Locale;

/**
 * What a delete did: the object is gone ({@link #DELETED}), or it carries finalizers and is
 * now marked with a deletionTimestamp for the reconciler that owns them ({@link #DELETING}).
 */
public enum DeleteOutcome {
  DELETED,
  DELETING;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
