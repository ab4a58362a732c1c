package dev.ferry.api.store;

/**
 * A fenced write was refused because the fence key no longer holds the value the writer owns:
 * another controller took leadership. The writer must stop acting as leader.
 */
public class FencedException extends StoreException {

  private final Fence fence;
  private final String actual;

  public FencedException(Fence fence, String actual) {
    super("write fenced off: " + fence.key() + " is \"" + actual + "\", this writer holds \""
        + fence.value() + "\"");
    this.fence = fence;
    this.actual = actual;
  }

  public Fence fence() {
    return fence;
  }

  /** What the fence key holds now; empty if it is gone. */
  public String actual() {
    return actual;
  }
}
