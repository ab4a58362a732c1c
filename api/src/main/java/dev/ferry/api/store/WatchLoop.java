package dev.ferry.api.store;

import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.store.WatchEvent.Type;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch of one kind: keeps what it has delivered (by name), follows etcd from the last
 * delivered revision, and repairs itself.
 *
 * <ul>
 *   <li>After any error from etcd (it restarted, the connection broke) it opens a new etcd watch
 *       from the revision after the last one it delivered, so nothing is lost; events at or
 *       below that revision are dropped, so nothing is delivered twice.
 *   <li>If that revision was compacted, it lists the current state and delivers the difference
 *       to what it knows, with DELETED for what vanished, then watches from the list.
 * </ul>
 *
 * <p>All state is confined to one serial executor: jetcd's callbacks only enqueue work there.
 * Each etcd watch it opens gets a new epoch; callbacks from an older epoch are ignored.
 */
final class WatchLoop<O extends FerryObject<O, S, T>, S, T> implements Subscription {

  private static final Logger LOG = LoggerFactory.getLogger(WatchLoop.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);
  private static final Duration MAX_RETRY = Duration.ofSeconds(5);

  private final EtcdStore store;
  private final Kind<O, S, T> kind;
  private final LabelSelector selector;
  private final WatchListener<O> listener;
  private final SerialExecutor serial;
  private final Map<String, O> known = new HashMap<>();

  private volatile boolean closed;
  private long delivered;
  private int epoch;
  private Optional<Watch.Watcher> current = Optional.empty();
  private Duration retry = FIRST_RETRY;

  private WatchLoop(EtcdStore store, Kind<O, S, T> kind, LabelSelector selector, WatchListener<O> listener) {
    this.store = store;
    this.kind = kind;
    this.selector = selector;
    this.listener = listener;
    this.serial = new SerialExecutor(store.connection()::execute);
  }

  /** Watches from {@code known.revision() + 1}, knowing {@code known.items()}. */
  static <O extends FerryObject<O, S, T>, S, T> WatchLoop<O, S, T> start(EtcdStore store,
      Kind<O, S, T> kind, LabelSelector selector, WatchListener<O> listener, ObjectList<O> known) {
    WatchLoop<O, S, T> loop = new WatchLoop<>(store, kind, selector, listener);
    loop.serial.execute(() -> {
      known.items().forEach(o -> loop.known.put(o.name(), o));
      loop.delivered = known.revision();
      loop.openWatch();
    });
    return loop;
  }

  /** Lists first, delivering the list as ADDED, then watches. */
  static <O extends FerryObject<O, S, T>, S, T> WatchLoop<O, S, T> listFirst(EtcdStore store,
      Kind<O, S, T> kind, LabelSelector selector, WatchListener<O> listener) {
    WatchLoop<O, S, T> loop = new WatchLoop<>(store, kind, selector, listener);
    loop.serial.execute(loop::relist);
    return loop;
  }

  @Override
  public void close() {
    closed = true;
    serial.execute(this::stopWatch);
  }

  private void openWatch() {
    if (closed) {
      return;
    }
    stopWatch();
    int mine = epoch;
    WatchOption option = WatchOption.builder()
        .isPrefix(true)
        .withPrevKV(true)
        .withRevision(delivered + 1)
        .build();
    Watch.Listener onEtcd = new Watch.Listener() {
      @Override
      public void onNext(WatchResponse response) {
        serial.execute(() -> {
          if (mine == epoch) {
            deliver(response);
          }
        });
      }

      @Override
      public void onError(Throwable error) {
        serial.execute(() -> {
          if (mine == epoch) {
            recover(error);
          }
        });
      }

      @Override
      public void onCompleted() {
        serial.execute(() -> {
          if (mine == epoch && !closed) {
            recover(new StoreException("etcd ended the watch"));
          }
        });
      }
    };
    current = Optional.of(store.connection().client.getWatchClient()
        .watch(store.keys().prefix(kind), option, onEtcd));
  }

  /** Closes the etcd watch, if any, and makes its late callbacks stale. */
  private void stopWatch() {
    epoch++;
    current.ifPresent(Watch.Watcher::close);
    current = Optional.empty();
  }

  private void deliver(WatchResponse response) {
    retry = FIRST_RETRY;
    long seen = delivered;
    for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
      long revision = event.getKeyValue().getModRevision();
      if (revision <= seen) {
        continue;
      }
      switch (event.getEventType()) {
        case PUT -> decode(event.getKeyValue(), true).ifPresent(o -> put(o, revision));
        case DELETE -> {
          store.forget(event.getKeyValue().getKey());
          removed(store.keys().name(kind, event.getKeyValue().getKey()), decode(event.getPrevKV(), false), revision);
        }
        default -> LOG.debug("ignoring unrecognized watch event on {}", kind.plural());
      }
      delivered = Math.max(delivered, revision);
    }
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

  private void recover(Throwable error) {
    stopWatch();
    if (closed) {
      return;
    }
    if (error instanceof CompactedException) {
      LOG.info("watch of {} fell behind a compaction after revision {}; re-listing", kind.plural(), delivered);
      relist();
      return;
    }
    LOG.warn("watch of {} broke after revision {} ({}); resuming in {} ms", kind.plural(),
        delivered, error.toString(), retry.toMillis());
    later(this::openWatch);
  }

  /** Lists, delivers the difference to what this watch knows, and watches from the list. */
  private void relist() {
    if (closed) {
      return;
    }
    store.list(kind, selector).whenComplete((list, error) -> serial.execute(() -> {
      if (closed) {
        return;
      }
      if (error != null) {
        LOG.warn("listing {} failed ({}); retrying in {} ms", kind.plural(), error.toString(), retry.toMillis());
        later(this::relist);
        return;
      }
      catchUp(list);
      openWatch();
    }));
  }

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
    delivered = Math.max(delivered, list.revision());
    if (!closed) {
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
    if (closed) {
      return;
    }
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      LOG.error("watch listener of {} failed on {} {}", kind.plural(), event.type(),
          event.object().name(), e);
    }
  }

  private void later(Runnable task) {
    Duration delay = retry;
    retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
    CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, serial).execute(task);
  }
}
