package dev.ferry.api.model;

/** The steps of a migration, in order, then its two ends. See docs/migration-protocol.md. */
public enum MigrationPhase {
  Pending,
  Planned,
  PreCopy,
  Quiesce,
  FinalSync,
  Switch,
  Start,
  Succeeded,
  RolledBack,
  Failed;

  public boolean isFinished() {
    return this == Succeeded || this == RolledBack || this == Failed;
  }
}
