package dev.ferry.api.model;

/** PreCopy copies while the app runs and stops it only for the last delta; StopAndCopy does not. */
public enum MigrationStrategy {
  PreCopy,
  StopAndCopy
}
