package dev.ferry.controller.cache;

import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.Subscription;
import dev.ferry.api.store.WatchEvent;
import dev.ferry.api.store.WatchListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every object of one kind, kept current by an etcd list-and-watch: what reconcilers read, so
 * that a reconcile costs no etcd read and the steady state none at all (an informer, in
 * client-go's words). A reconciler that writes may read its own write late; a stale write fails
 * its compare-and-swap and is retried.
 */
public final class ObjectCache<O extends FerryObject<O, S, T>, S, T> implements AutoCloseable {

  private final Kind<O, S, T> kind;
  private final Map<String, O> objects = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> synced = new CompletableFuture<>();
  private Subscription subscription;

  public ObjectCache(Kind<O, S, T> kind) {
    this.kind = kind;
  }

  /** What changed: the object as the cache held it before (empty if it did not) and the event. */
  @FunctionalInterface
  public interface ChangeListener<O> {
    void onChange(Optional<O> before, WatchEvent<O> event);
  }

  /**
   * Starts following the kind; {@code onChange} hears of every change after the cache holds it,
   * on a store thread.
   */
  public ObjectCache<O, S, T> start(EtcdStore store, ChangeListener<O> onChange) {
    subscription = store.listAndWatch(kind, LabelSelector.EVERYTHING, new WatchListener<O>() {
      @Override
      public void onEvent(WatchEvent<O> event) {
        // Events of one watch arrive in revision order, one at a time: no newer value is lost.
        O before = event.type() == WatchEvent.Type.DELETED
            ? objects.remove(event.object().name())
            : objects.put(event.object().name(), event.object());
        onChange.onChange(Optional.ofNullable(before), event);
      }

      @Override
      public void onSynced(long revision) {
        synced.complete(null);
      }
    });
    return this;
  }

  /**
   * Takes an object the caller just wrote, so that its next read is not older than its own
   * write (the watch brings the same version a moment later). Keeps whichever is newer.
   */
  public O remember(O written) {
    objects.merge(written.name(), written,
        (cached, fresh) -> fresh.metadata().resourceVersion() > cached.metadata().resourceVersion() ? fresh : cached);
    return written;
  }

  /** Completes once the first list is in the cache. */
  public CompletableFuture<Void> synced() {
    return synced;
  }

  public Kind<O, S, T> kind() {
    return kind;
  }

  public Optional<O> get(String name) {
    return Optional.ofNullable(objects.get(name));
  }

  /** All objects, sorted by name. */
  public List<O> list() {
    List<O> all = new ArrayList<>(objects.values());
    all.sort(Comparator.comparing(FerryObject::name));
    return all;
  }

  public int size() {
    return objects.size();
  }

  @Override
  public void close() {
    if (subscription != null) {
      subscription.close();
    }
  }
}
