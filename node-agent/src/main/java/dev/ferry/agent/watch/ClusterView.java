package dev.ferry.agent.watch;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Migration;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.Subscription;
import dev.ferry.api.store.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What the agent knows of the Datasets and Migrations in etcd, kept current by two watches, and
 * who to tell when something changed. Listeners get only a name (level-triggered: they read the
 * rest from here), on the store's watch threads, so they must only enqueue.
 *
 * <p>A Dataset's DELETED event is remembered (its last state, with its reclaim policy) until
 * {@link #forgetDeleted} is called, so that the agent destroys a copy only when it saw the
 * Dataset go and the Dataset asked for it; a Dataset that disappeared while the agent was down is
 * never seen deleted, and its copy stays.
 */
public final class ClusterView implements AutoCloseable {

  private final Map<String, Dataset> datasets = new ConcurrentHashMap<>();
  private final Map<String, Dataset> deletedDatasets = new ConcurrentHashMap<>();
  private final Map<String, Migration> migrations = new ConcurrentHashMap<>();
  private final List<Subscription> watches = new ArrayList<>();
  private final LongAdder received = new LongAdder();

  /**
   * Starts watching; call once.
   *
   * @param onDataset told the name of a Dataset that changed, appeared or went away, or that a
   *     Migration naming it appeared, went away or changed its spec (a migration's ownership
   *     changes what the dataset's agent does; its status does not)
   * @param onMigration told of a Migration that changed, appeared or went away
   */
  public void watch(EtcdStore store, Consumer<String> onDataset, Consumer<Migration> onMigration) {
    watches.add(store.listAndWatch(Kind.DATASET, LabelSelector.EVERYTHING, event -> {
      received.increment();
      apply(event);
      onDataset.accept(event.object().name());
    }));
    watches.add(store.listAndWatch(Kind.MIGRATION, LabelSelector.EVERYTHING, event -> {
      received.increment();
      String name = event.object().name();
      Migration before = event.type() == WatchEvent.Type.DELETED ? migrations.remove(name)
          : migrations.put(name, event.object());
      onMigration.accept(event.object());
      // A dataset's agent looks only at whether a Migration owning it exists and at its spec: its
      // status (phases, a round's progress about once a second) would only wake it to read ZFS for
      // nothing, competing with the round itself while the app is down.
      boolean specChanged = before == null || event.type() == WatchEvent.Type.DELETED
          || !before.spec().equals(event.object().spec());
      if (specChanged && !event.object().spec().dataset().isEmpty()) {
        onDataset.accept(event.object().spec().dataset());
      }
    }));
  }

  private void apply(WatchEvent<Dataset> event) {
    String name = event.object().name();
    if (event.type() == WatchEvent.Type.DELETED) {
      datasets.remove(name);
      deletedDatasets.put(name, event.object());
    } else {
      datasets.put(name, event.object());
      deletedDatasets.remove(name);
    }
  }

  public Optional<Dataset> dataset(String name) {
    return Optional.ofNullable(datasets.get(name));
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

  /** How many Dataset and Migration events the watches delivered (the first list's included). */
  public long eventsReceived() {
    return received.sum();
  }

  @Override
  public void close() {
    watches.forEach(Subscription::close);
  }
}
