package dev.ferry.api.model;

/** Normal for what is expected, Warning for what a person may need to look at. */
public enum EventType {
  Normal,
  Warning
}
