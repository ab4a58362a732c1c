package dev.ferry.api.model;

/** Whether the cluster matches what git holds. */
public enum SyncState {
  Synced,
  OutOfSync
}
