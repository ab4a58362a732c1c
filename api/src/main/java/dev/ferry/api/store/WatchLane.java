package dev.ferry.api.store;

import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.store.WatchEvent.Type;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind of a {@link WatchLoop}: what it has delivered of that kind (by name), and how an etcd
 * event or a fresh list becomes ADDED/MODIFIED/DELETED for its listener. Confined to the loop's
 * serial executor, like the loop.
 */
final class WatchLane<O extends FerryObject<O, S, T>, S, T> {

  private static final Logger LOG = LoggerFactory.getLogger(WatchLane.class);

  /** A list read for a re-list: its revision, and the catch-up to run on the loop's executor. */
  record Listed(long revision, Runnable catchUp) {}

  private final EtcdStore store;
  private final Kind<O, S, T> kind;
  private final LabelSelector selector;
  private final WatchListener<O> listener;
  private final BooleanSupplier closed;
  private final ByteSequence prefix;
  private final Map<String, O> known = new HashMap<>();

  WatchLane(EtcdStore store, KindWatch<O, S, T> watch, BooleanSupplier closed) {
    this.store = store;
    this.kind = watch.kind();
    this.selector = watch.selector();
    this.listener = watch.listener();
    this.closed = closed;
    this.prefix = store.keys().prefix(kind);
  }

  Kind<O, S, T> kind() {
    return kind;
  }

  ByteSequence prefix() {
    return prefix;
  }

  boolean owns(ByteSequence key) {
    return key.startsWith(prefix);
  }

  /** What the caller already knew when the watch starts. */
  void know(ObjectList<O> list) {
    list.items().forEach(o -> known.put(o.name(), o));
  }

  /** One etcd event on a key of this kind, at {@code revision}. */
  void apply(io.etcd.jetcd.watch.WatchEvent event, long revision) {
    switch (event.getEventType()) {
      case PUT -> decode(event.getKeyValue(), true).ifPresent(o -> put(o, revision));
      case DELETE -> {
        store.forget(event.getKeyValue().getKey());
        removed(store.keys().name(kind, event.getKeyValue().getKey()), decode(event.getPrevKV(), false), revision);
      }
      default -> LOG.debug("ignoring unrecognized watch event on {}", kind.plural());
    }
  }

  /** Lists this kind at {@code revision} (0: the newest) for a re-list. */
  CompletableFuture<Listed> list(long revision) {
    return store.list(kind, selector, revision).thenApply(list -> new Listed(list.revision(), () -> catchUp(list)));
  }

  private void put(O object, long revision) {
    String name = object.name();
    if (selector.matches(object.metadata().labels())) {
      Type type = known.containsKey(name) ? Type.MODIFIED : Type.ADDED;
      known.put(name, object);
      emit(new WatchEvent<>(type, object, revision));
    } else if (known.remove(name) != null) {
      // It no longer matches: for this watch it is gone.
      emit(new WatchEvent<>(Type.DELETED, object, revision));
    }
  }

  private void removed(String name, Optional<O> last, long revision) {
    O before = known.remove(name);
    Optional<O> gone = last.or(() -> Optional.ofNullable(before));
    if (gone.isPresent() && (before != null || selector.matches(gone.get().metadata().labels()))) {
      emit(new WatchEvent<>(Type.DELETED, gone.get(), revision));
    }
  }

  /** Delivers the difference between {@code list} and what was delivered, then {@link WatchListener#onSynced}. */
  private void catchUp(ObjectList<O> list) {
    Set<String> present = new HashSet<>();
    for (O object : list.items()) {
      present.add(object.name());
      O before = known.put(object.name(), object);
      if (before == null) {
        emit(new WatchEvent<>(Type.ADDED, object, object.metadata().resourceVersion()));
      } else if (before.metadata().resourceVersion() != object.metadata().resourceVersion()) {
        emit(new WatchEvent<>(Type.MODIFIED, object, object.metadata().resourceVersion()));
      }
    }
    for (String name : Set.copyOf(known.keySet())) {
      if (!present.contains(name)) {
        emit(new WatchEvent<>(Type.DELETED, known.remove(name), list.revision()));
      }
    }
    if (!closed.getAsBoolean()) {
      try {
        listener.onSynced(list.revision());
      } catch (RuntimeException e) {
        LOG.error("watch listener of {} failed on sync", kind.plural(), e);
      }
    }
  }

  /** @param current the key's value now (remembered for a later update), not a previous one */
  private Optional<O> decode(KeyValue kv, boolean current) {
    if (kv == null || kv.getValue().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(current ? store.decode(kind, kv) : ObjectCodec.decode(kind.type(), kv));
    } catch (StoreException e) {
      // One unreadable value must not stop the watch of every other object.
      LOG.error("skipping an unreadable {} in a watch", kind, e);
      return Optional.empty();
    }
  }

  private void emit(WatchEvent<O> event) {
    if (closed.getAsBoolean()) {
      return;
    }
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      LOG.error("watch listener of {} failed on {} {}", kind.plural(), event.type(),
          event.object().name(), e);
    }
  }
}
