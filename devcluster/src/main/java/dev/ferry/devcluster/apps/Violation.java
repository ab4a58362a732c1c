package dev.ferry.devcluster.apps;

/** One problem with a request body, at a JSON pointer such as {@code /upgradeStrategy/minimumHealthCapacity}. */
public record Violation(String path, String message) {

  public static Violation at(String path, String message) {
    return new Violation(path, message);
  }
}
