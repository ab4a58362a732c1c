package dev.ferry.api.store;

/**
 * Receives a watch's events, one at a time and in revision order, on a thread of the store's
 * (never on etcd's client threads). A listener may block briefly, but while it does, later
 * events of the same watch wait.
 */
@FunctionalInterface
public interface WatchListener<O> {

  void onEvent(WatchEvent<O> event);

  /**
   * Called once the listener has seen everything up to {@code revision}: after the initial
   * list of {@link EtcdStore#listAndWatch} and after each re-list that follows a compaction.
   */
  default void onSynced(long revision) {}
}
