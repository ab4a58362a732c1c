package dev.ferry.api.store;

/**
 * A fencing token: the etcd key holding the leader epoch and the value this writer saw when it
 * became leader. Writes through {@link EtcdStore#fenced} succeed only while the key still holds
 * that value.
 *
 * @param key the full etcd key, outside the object key space
 * @param value the epoch this writer owns
 */
public record Fence(String key, String value) {

  public Fence {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("a fence needs a key");
    }
  }
}
