package dev.ferry.agent.watch;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Migration;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.KindWatch;
import dev.ferry.api.store.NodeIndex;
import dev.ferry.api.store.Subscription;
import dev.ferry.api.store.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent knows of the Datasets and Migrations that concern its node ({@link NodeIndex}:
 * its primaries, its copies, the moves it is the source or target of, and their Datasets), kept
 * current by one watch of the node's index ({@link EtcdStore#watchNode}), and who to tell when
 * something changed. Another node's objects never reach it. Listeners get only a name
 * (level-triggered: they read the rest from here), on the store's watch threads, so they must only
 * enqueue.
 *
 * <p>A Migration concerns its source and target from its creation to its deletion, so every
 * change of a Migration this node takes part in (a round requested, a fence) reaches it. The
 * objects here are for deciding; writes go to the objects in etcd, read afresh, under their
 * compare-and-swap guards.
 *
 * <p>A Dataset's entry leaves the node's index when the Dataset is deleted, and also when it stops
 * concerning the node (a move ended and the copy here is gone). The agent then asks etcd whether
 * the Dataset still exists: only one that is gone is remembered as deleted (its last state, with
 * its reclaim policy) until {@link #forgetDeleted} is called, so that the agent destroys a copy
 * only when it saw the Dataset go and the Dataset asked for it; a Dataset that disappeared while
 * the agent was down is never seen deleted, and its copy stays. When the answer is in doubt
 * (etcd did not answer), the Dataset is taken to have left: its copy stays.
 */
public final class ClusterView implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);
  private static final long READ_TIMEOUT_SECONDS = 30;

  private final Map<String, Dataset> datasets = new ConcurrentHashMap<>();
  private final Map<String, Dataset> deletedDatasets = new ConcurrentHashMap<>();
  private final Map<String, Migration> migrations = new ConcurrentHashMap<>();
  private final List<Subscription> watches = new ArrayList<>();
  private final LongAdder received = new LongAdder();
  private volatile Optional<EtcdStore> store = Optional.empty();

  /**
   * Starts watching what concerns {@code node}; call once.
   *
   * @param onDataset told the name of a Dataset that changed, appeared or went away, or that a
   *     Migration naming it appeared, went away or changed its spec (a migration's ownership
   *     changes what the dataset's agent does; its status does not)
   * @param onMigration told of a Migration that changed, appeared or went away
   */
  public void watch(EtcdStore etcd, String node, Consumer<String> onDataset, Consumer<Migration> onMigration) {
    store = Optional.of(etcd);
    watches.add(etcd.watchNode(node, List.of(
        new KindWatch<>(Kind.DATASET, LabelSelector.EVERYTHING, event -> {
          received.increment();
          apply(etcd, event, onDataset);
        }),
        new KindWatch<>(Kind.MIGRATION, LabelSelector.EVERYTHING, event -> {
          received.increment();
          String name = event.object().name();
          Migration before = event.type() == WatchEvent.Type.DELETED ? migrations.remove(name)
              : migrations.put(name, event.object());
          onMigration.accept(event.object());
          // A dataset's agent looks only at whether a Migration owning it exists and at its spec: its
          // status (phases, a round's progress about once a second) would only wake it to read ZFS
          // for nothing, competing with the round itself while the app is down.
          boolean specChanged = before == null || event.type() == WatchEvent.Type.DELETED
              || !before.spec().equals(event.object().spec());
          if (specChanged && !event.object().spec().dataset().isEmpty()) {
            onDataset.accept(event.object().spec().dataset());
          }
        }))));
  }

  private void apply(EtcdStore etcd, WatchEvent<Dataset> event, Consumer<String> onDataset) {
    String name = event.object().name();
    if (event.type() != WatchEvent.Type.DELETED) {
      datasets.put(name, event.object());
      deletedDatasets.remove(name);
      onDataset.accept(name);
      return;
    }
    datasets.remove(name);
    // Deleted, or no longer this node's business: only the object itself can tell.
    etcd.get(Kind.DATASET, name).whenComplete((found, error) -> {
      if (error != null) {
        LOG.warn("dataset {} left this node's index and etcd cannot say whether it was deleted ({}):"
            + " taken as moved away, a copy here stays", name, error.toString());
      } else if (found.isEmpty() && !datasets.containsKey(name)) {
        deletedDatasets.put(name, event.object());
      }
      onDataset.accept(name);
    });
  }

  public Optional<Dataset> dataset(String name) {
    return Optional.ofNullable(datasets.get(name));
  }

  /**
   * A Dataset that does not concern this node as far as the index knows, read from etcd (blocking:
   * call it on a worker): for a copy here that no Dataset names yet (a move ended before the copy
   * it received was reported). Once the copy is reported, the Dataset is in the node's index.
   * Empty when there is no such Dataset, or before {@link #watch}.
   *
   * @throws IllegalStateException when etcd did not answer
   */
  public Optional<Dataset> readUnindexed(String name) {
    if (store.isEmpty()) {
      return Optional.empty();
    }
    try {
      return store.get().get(Kind.DATASET, name).get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading dataset " + name, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read dataset " + name + " from etcd: " + e.getMessage(), e);
    }
  }

  /** The last state of a Dataset this agent saw deleted and has not yet dealt with. */
  public Optional<Dataset> deletedDataset(String name) {
    return Optional.ofNullable(deletedDatasets.get(name));
  }

  /** Done with a deleted Dataset (its copy is destroyed or kept, as it asked). */
  public void forgetDeleted(String name, Dataset seen) {
    deletedDatasets.remove(name, seen);
  }

  public Optional<Migration> migration(String name) {
    return Optional.ofNullable(migrations.get(name));
  }

  /** The names of all Datasets known, present or deleted-but-not-dealt-with. */
  public Set<String> datasetNames() {
    Set<String> names = new TreeSet<>(datasets.keySet());
    names.addAll(deletedDatasets.keySet());
    return names;
  }

  public List<Migration> migrations() {
    return List.copyOf(migrations.values());
  }

  /** How many Dataset and Migration events the watch delivered (the first list's included). */
  public long eventsReceived() {
    return received.sum();
  }

  @Override
  public void close() {
    watches.forEach(Subscription::close);
  }
}
