package dev.ferry.api.store;

import dev.ferry.api.model.FerryObject;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch of one or more kinds, as one sequence in revision order: keeps what it has
 * delivered of each kind ({@link WatchLane}), follows etcd from the last delivered revision,
 * and repairs itself.
 *
 * <ul>
 *   <li>A watch of several kinds is ONE etcd watch over the prefix all kinds share, its events
 *       handed to the lane of their kind: etcd sends them in revision order, so the listeners
 *       hear them in that order, across kinds. (One etcd watch per kind would interleave the
 *       kinds arbitrarily, and a client resuming from the last revision it saw could skip an
 *       earlier event of another kind.)
 *   <li>After any error from etcd (it restarted, the connection broke) it opens a new etcd watch
 *       from the revision after the last one it delivered, so nothing is lost; events at or
 *       below that revision are dropped, so nothing is delivered twice.
 *   <li>If that revision was compacted, it lists every kind at one revision and delivers the
 *       difference to what it knows, with DELETED for what vanished, then watches from there.
 * </ul>
 *
 * <p>All state is confined to one serial executor: jetcd's callbacks only enqueue work there.
 * Each etcd watch it opens gets a new epoch; callbacks from an older epoch are ignored.
 */
final class WatchLoop implements Subscription {

  private static final Logger LOG = LoggerFactory.getLogger(WatchLoop.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);
  private static final Duration MAX_RETRY = Duration.ofSeconds(5);

  private final EtcdStore store;
  private final List<WatchLane<?, ?, ?>> lanes = new ArrayList<>();
  private final SerialExecutor serial;

  private volatile boolean closed;
  private long delivered;
  private int epoch;
  private Optional<Watch.Watcher> current = Optional.empty();
  private Duration retry = FIRST_RETRY;

  private WatchLoop(EtcdStore store) {
    this.store = store;
    this.serial = new SerialExecutor(store.connection()::execute);
  }

  private <O extends FerryObject<O, S, T>, S, T> WatchLane<O, S, T> add(KindWatch<O, S, T> watch) {
    WatchLane<O, S, T> lane = new WatchLane<>(store, watch, () -> closed);
    lanes.add(lane);
    return lane;
  }

  /** Watches one kind from {@code known.revision() + 1}, knowing {@code known.items()}. */
  static <O extends FerryObject<O, S, T>, S, T> WatchLoop start(EtcdStore store, KindWatch<O, S, T> watch,
      ObjectList<O> known) {
    WatchLoop loop = new WatchLoop(store);
    WatchLane<O, S, T> lane = loop.add(watch);
    loop.serial.execute(() -> {
      lane.know(known);
      loop.delivered = known.revision();
      loop.openWatch();
    });
    return loop;
  }

  /** Watches several kinds from {@code revision + 1}, knowing nothing of them. */
  static WatchLoop start(EtcdStore store, List<KindWatch<?, ?, ?>> watches, long revision) {
    WatchLoop loop = of(store, watches);
    loop.serial.execute(() -> {
      loop.delivered = revision;
      loop.openWatch();
    });
    return loop;
  }

  /** Lists first (every kind at one revision), delivering the lists as ADDED, then watches. */
  static WatchLoop listFirst(EtcdStore store, List<KindWatch<?, ?, ?>> watches) {
    WatchLoop loop = of(store, watches);
    loop.serial.execute(loop::relist);
    return loop;
  }

  private static WatchLoop of(EtcdStore store, List<KindWatch<?, ?, ?>> watches) {
    if (watches.isEmpty()) {
      throw new IllegalArgumentException("a watch needs at least one kind");
    }
    WatchLoop loop = new WatchLoop(store);
    watches.forEach(loop::add);
    return loop;
  }

  /** What the logs call this watch: its kinds. */
  private String name() {
    return lanes.stream().map(l -> l.kind().plural()).collect(Collectors.joining(","));
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
    ByteSequence range = lanes.size() == 1 ? lanes.get(0).prefix() : store.keys().everything();
    current = Optional.of(store.connection().client.getWatchClient().watch(range, option, onEtcd));
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
      ByteSequence key = event.getKeyValue().getKey();
      for (WatchLane<?, ?, ?> lane : lanes) {
        if (lane.owns(key)) {
          lane.apply(event, revision);
          break;
        }
      }
      delivered = Math.max(delivered, revision);
    }
  }

  private void recover(Throwable error) {
    stopWatch();
    if (closed) {
      return;
    }
    if (error instanceof CompactedException) {
      LOG.info("watch of {} fell behind a compaction after revision {}; re-listing", name(), delivered);
      relist();
      return;
    }
    LOG.warn("watch of {} broke after revision {} ({}); resuming in {} ms", name(),
        delivered, error.toString(), retry.toMillis());
    later(this::openWatch);
  }

  /**
   * Lists every kind at one revision (the first list's), delivers the difference to what this
   * watch knows, and watches from there: one revision, so that no kind's list is older than
   * another's events.
   */
  private void relist() {
    if (closed) {
      return;
    }
    lanes.get(0).list(0).thenCompose(first -> {
      List<CompletableFuture<WatchLane.Listed>> rest = lanes.subList(1, lanes.size()).stream()
          .map(l -> l.list(first.revision())).toList();
      return CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).thenApply(v -> {
        List<WatchLane.Listed> all = new ArrayList<>(List.of(first));
        rest.forEach(r -> all.add(r.join()));
        return all;
      });
    }).whenComplete((lists, error) -> serial.execute(() -> {
      if (closed) {
        return;
      }
      if (error != null) {
        LOG.warn("listing {} failed ({}); retrying in {} ms", name(), error.toString(), retry.toMillis());
        later(this::relist);
        return;
      }
      lists.forEach(l -> l.catchUp().run());
      delivered = Math.max(delivered, lists.get(0).revision());
      openWatch();
    }));
  }

  private void later(Runnable task) {
    Duration delay = retry;
    retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
    CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, serial).execute(task);
  }
}
