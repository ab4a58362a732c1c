package dev.ferry.agent.dataset;

import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Conditions;

/**
 * Whether this node's copy is mounted showing the dataset, as the {@code Mounted} condition says
 * it: {@code reason} is one of the constants here, {@code message} names node and dataset.
 */
record MountCheck(boolean shown, String reason, String message) {

  static final String TYPE = "Mounted";
  static final String MOUNTED = "Mounted";
  static final String NOT_MOUNTED = "NotMounted";
  static final String MOUNT_FAILED = "MountFailed";
  static final String MARKER_MISSING = "MarkerMissing";
  static final String IDENTITY_MISMATCH = "IdentityMismatch";
  static final String STALE_VIEW = "StaleView";

  static MountCheck shown(String message) {
    return new MountCheck(true, MOUNTED, message);
  }

  static MountCheck notShown(String reason, String message) {
    return new MountCheck(false, reason, message);
  }

  Condition condition(long generation) {
    return Conditions.of(TYPE, shown, reason, message, generation);
  }
}
