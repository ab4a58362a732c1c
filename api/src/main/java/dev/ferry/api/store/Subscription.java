package dev.ferry.api.store;

/** Something running in the background (a watch, a lease keep-alive) that closing stops. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  /** Stops it; idempotent. */
  @Override
  void close();
}
