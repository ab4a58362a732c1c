package dev.ferry.api.store;

/**
 * A change to one object seen by a watch.
 *
 * @param type what happened
 * @param object the object after the change; for DELETED, the last state the store held
 * @param revision the etcd revision of the change (for changes synthesized after a re-list:
 *     the revision of that list)
 */
public record WatchEvent<O>(Type type, O object, long revision) {

  /** What happened to the object, as Kubernetes watches say it. */
  public enum Type { ADDED, MODIFIED, DELETED }
}
