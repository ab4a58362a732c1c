package dev.ferry.api.store;

/** A store operation failed: etcd could not be reached, or a precondition did not hold. */
public class StoreException extends RuntimeException {

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
