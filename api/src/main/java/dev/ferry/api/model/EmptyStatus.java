package dev.ferry.api.model;

import java.util.Set;

/**
 * A Jackson value filter that leaves a status out of the written object while it is still the
 * kind's empty status: a manifest a user reads back should look like the one they wrote.
 * Jackson calls {@link #equals} with the value and drops it when that returns true.
 */
final class EmptyStatus {

  private static final Set<Object> EMPTY = Set.of(StatefulAppStatus.EMPTY, NodeStatus.EMPTY,
      DatasetStatus.EMPTY, MigrationStatus.EMPTY, EventStatus.EMPTY, GitSourceStatus.EMPTY);

  @Override
  public boolean equals(Object value) {
    return value == null || EMPTY.contains(value);
  }

  @Override
  public int hashCode() {
    return 0;
  }
}
