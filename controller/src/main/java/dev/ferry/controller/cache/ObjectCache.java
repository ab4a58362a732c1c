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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Every object of one kind, kept current by an etcd list-and-watch: what reconcilers read, so
 * that a reconcile costs no etcd read and the steady state none at all (an informer, in
 * client-go's words). A reconciler that writes may read its own write late; a stale write fails
 * its compare-and-swap and is retried.
 */
public final class ObjectCache<O extends FerryObject<O, S, T>, S, T> implements AutoCloseable {

  private final Kind<O, S, T> kind;
  private final Map<String, O> objects = new ConcurrentHashMap<>();
  private final Function<O, String> indexKey;
  /** Names by {@link #indexKey}: what {@link #indexed} answers without scanning every object. */
  private final Map<String, Set<String>> index = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> synced = new CompletableFuture<>();
  private Subscription subscription;

  public ObjectCache(Kind<O, S, T> kind) {
    this(kind, o -> "");
  }

  /**
   * A cache that also indexes its objects by {@code indexKey} (the StatefulApp a Migration
   * belongs to, say), for {@link #indexed}. The key of an object should not change with its
   * versions; when it does, the index follows.
   */
  public ObjectCache(Kind<O, S, T> kind, Function<O, String> indexKey) {
    this.kind = kind;
    this.indexKey = indexKey;
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
        O before;
        if (event.type() == WatchEvent.Type.DELETED) {
          before = objects.remove(event.object().name());
          unindex(before);
        } else {
          before = objects.put(event.object().name(), event.object());
          reindex(before, event.object());
        }
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
    O before = objects.get(written.name());
    O kept = objects.merge(written.name(), written,
        (cached, fresh) -> fresh.metadata().resourceVersion() > cached.metadata().resourceVersion() ? fresh : cached);
    reindex(before, kept);
    return written;
  }

  private void reindex(O before, O after) {
    String key = indexKey.apply(after);
    if (before != null && !indexKey.apply(before).equals(key)) {
      unindex(before);
    }
    index.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(after.name());
  }

  private void unindex(O gone) {
    if (gone != null) {
      index.computeIfPresent(indexKey.apply(gone), (k, names) -> {
        names.remove(gone.name());
        return names.isEmpty() ? null : names;
      });
    }
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

  /** The objects whose index key is {@code key}, sorted by name: a look-up, not a scan of all. */
  public List<O> indexed(String key) {
    Set<String> names = index.getOrDefault(key, Set.of());
    List<O> found = new ArrayList<>(names.size());
    for (String name : names) {
      O o = objects.get(name);
      if (o != null && indexKey.apply(o).equals(key)) {
        found.add(o);
      }
    }
    found.sort(Comparator.comparing(FerryObject::name));
    return found;
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
