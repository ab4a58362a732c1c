package dev.ferry.api.store;

/** The object does not exist (HTTP 404). */
public class NotFoundException extends StoreException {

  private final String kind;
  private final String name;

  public NotFoundException(String kind, String name) {
    super(kind + " " + name + " not found");
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
