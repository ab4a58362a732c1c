package dev.ferry.api.store;

import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.NodeSpec;
import dev.ferry.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the store tests share: objects to store, waiting for futures, recording watches. */
final class StoreTesting {

  private StoreTesting() {}

  static Node node(String name, Map<String, String> labels, String disk) {
    return new Node(ObjectMeta.named(name).withLabels(labels),
        new NodeSpec(name, "127.0.1.1", 0, Map.of("disk", disk), "tank", "", "test"));
  }

  static Node node(String name) {
    return node(name, Map.of(), "ssd");
  }

  /** The future's value; its failure rethrown as it is (ConflictException, not a wrapper). */
  static <V> V await(CompletableFuture<V> future) {
    try {
      return future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new AssertionError(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("store call did not complete", e);
    }
  }

  /** Records a watch as lines a person reads: "ADDED node1 @17". */
  static final class Recorder<O extends FerryObject<O, ?, ?>> implements WatchListener<O> {
    final List<WatchEvent<O>> events = new CopyOnWriteArrayList<>();
    final List<Long> syncs = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(WatchEvent<O> event) {
      events.add(event);
    }

    @Override
    public void onSynced(long revision) {
      syncs.add(revision);
    }

    /** "TYPE name" per event, in delivery order. */
    List<String> seen() {
      return events.stream().map(e -> e.type() + " " + e.object().name()).toList();
    }

    List<Long> revisions() {
      return events.stream().map(WatchEvent::revision).toList();
    }
  }
}
