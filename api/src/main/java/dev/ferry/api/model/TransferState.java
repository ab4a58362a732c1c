package dev.ferry.api.model;

/** Where one requested transfer round stands. The controller requests; the source agent does the rest. */
public enum TransferState {
  Requested,
  Running,
  Succeeded,
  Failed;

  public boolean isFinished() {
    return this == Succeeded || this == Failed;
  }
}
