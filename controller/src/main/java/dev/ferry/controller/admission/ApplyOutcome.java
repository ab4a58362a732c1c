package dev.ferry.controller.admission;

import java.util.Locale;

/** What an apply did to the stored object, as {@code ferryctl apply} prints it. */
public enum ApplyOutcome {
  CREATED,
  CONFIGURED,
  UNCHANGED;

  /** The word ferryctl prints and the API sends in {@code Ferry-Outcome}: created, configured, unchanged. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
