package dev.ferry.api.model;

/** Whether a dataset outlives the StatefulApp that used it. Retain is the default. */
public enum ReclaimPolicy {
  Retain,
  Delete
}
