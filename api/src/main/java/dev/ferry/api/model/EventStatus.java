package dev.ferry.api.model;

/** Events have nothing to observe: everything is in the spec. Kept for the common object shape. */
public record EventStatus() {

  public static final EventStatus EMPTY = new EventStatus();
}
