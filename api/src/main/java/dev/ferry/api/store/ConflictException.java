package dev.ferry.api.store;

/**
 * The object changed since the caller read it: its {@code resourceVersion} is not the one the
 * write expected. The caller re-reads and retries (HTTP 409).
 */
public class ConflictException extends StoreException {

  private final String kind;
  private final String name;
  private final long expected;
  private final long actual;

  public ConflictException(String kind, String name, long expected, long actual) {
    super(kind + " " + name + " was modified: expected resourceVersion " + expected + ", found "
        + actual + "; read it again and retry");
    this.kind = kind;
    this.name = name;
    this.expected = expected;
    this.actual = actual;
  }

  public String kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  /** The resourceVersion the write expected. */
  public long expected() {
    return expected;
  }

  /** The resourceVersion the store holds. */
  public long actual() {
    return actual;
  }
}
