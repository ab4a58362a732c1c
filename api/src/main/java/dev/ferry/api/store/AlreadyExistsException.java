package dev.ferry.api.store;

/** A create found an object of the same kind and name (HTTP 409). */
public class AlreadyExistsException extends StoreException {

  private final String kind;
  private final String name;

  public AlreadyExistsException(String kind, String name) {
    super(kind + " " + name + " already exists");
    this.kind = kind;
    this.name = name;
  }

  public String kind() {
    return kind;
  }

  public String name() {
    return name;
  }
}
