package dev.ferry.agent.testing;

import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.ReclaimPolicy;
import dev.ferry.api.model.Transfer;
import dev.ferry.api.store.ConflictException;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.api.transfer.TransferTicket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Plays the controller's part of docs/migration-protocol.md in tests: writes Datasets and
 * Migrations, requests rounds with tickets, and waits for what the agents report.
 */
public final class ControllerStandIn {

  public static final Duration PATIENCE = Duration.ofSeconds(90);

  private final EtcdStore store;
  private final ClusterKey key;

  public ControllerStandIn(EtcdStore store, ClusterKey key) {
    this.store = store;
    this.key = key;
  }

  public Dataset createDataset(String name, String primary, Quantity size, ReclaimPolicy reclaim) {
    return get(store.create(new Dataset(ObjectMeta.named(name), new DatasetSpec(size, primary, "", reclaim))));
  }

  /** Changes a Dataset's spec with compare-and-swap, as the controller does at Pending and Switch. */
  public Dataset updateDataset(String name, UnaryOperator<DatasetSpec> change) {
    while (true) {
      Dataset d = get(store.get(Kind.DATASET, name)).orElseThrow();
      try {
        return get(store.update(d.withSpec(change.apply(d.spec()))));
      } catch (ConflictException e) {
        // an agent reported its copy meanwhile: read again
      }
    }
  }

  /** Starts a migration and takes the dataset's lock for it, as the Pending phase does. */
  public Migration startMigration(String name, String dataset, String from, String to) {
    Migration m = get(store.create(new Migration(ObjectMeta.named(name),
        new MigrationSpec(dataset + "-app", dataset, from, to, null, null, 0))));
    updateDataset(dataset, s -> new DatasetSpec(s.size(), s.primary(), name, s.reclaimPolicy()));
    return m;
  }

  /** A ticket for exactly one stream, round {@code round} of {@code m}, valid for five minutes from {@code clock}. */
  public String ticket(Migration m, int round, String baseGuid, String snapshot, Clock clock) {
    return TransferTicket.issue(m.metadata().uid(), round, m.spec().dataset(), m.spec().from(), m.spec().to(), baseGuid, snapshot,
        Duration.ofMinutes(5), clock).encode(key);
  }

  /** Writes {@code status.transfer} as a new request. */
  public void request(String migration, int round, String snapshot, boolean fence, String ticket) {
    while (true) {
      Migration m = get(store.get(Kind.MIGRATION, migration)).orElseThrow();
      Transfer asked = Transfer.request(round, snapshot, fence, ticket, Instant.now());
      try {
        get(store.updateStatus(m.withStatus(m.status().withTransfer(asked))));
        return;
      } catch (ConflictException e) {
        // the agent wrote progress of the previous request meanwhile: read again
      }
    }
  }

  /** Waits until the current round finished (Succeeded or Failed) and returns it. */
  public Transfer awaitRound(String migration) {
    return awaitTransfer(migration, t -> t.state().isFinished());
  }

  public Transfer awaitTransfer(String migration, Predicate<Transfer> condition) {
    return await().atMost(PATIENCE).until(() -> transfer(migration), t -> t.isPresent() && condition.test(t.get()))
        .orElseThrow();
  }

  public Optional<Transfer> transfer(String migration) {
    return get(store.get(Kind.MIGRATION, migration)).flatMap(m -> m.status().currentTransfer());
  }

  /** Waits until {@code node}'s reported copy of {@code dataset} satisfies {@code condition}. */
  public DatasetCopy awaitCopy(String dataset, String node, Predicate<DatasetCopy> condition) {
    return await().atMost(PATIENCE).until(() -> copy(dataset, node), c -> c.isPresent() && condition.test(c.get()))
        .orElseThrow();
  }

  public Optional<DatasetCopy> copy(String dataset, String node) {
    return get(store.get(Kind.DATASET, dataset)).map(d -> d.status().copies().get(node));
  }

  public static <T> T get(CompletableFuture<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
