package dev.ferry.e2e.bench;

import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.Transfer;
import dev.ferry.api.model.TransferState;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.Subscription;
import dev.ferry.api.store.WatchEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the benchmark saw of each Migration: a watch on etcd notes when each phase first showed in
 * the status (the controller writes one status per phase, so this is when the controller entered
 * it, within the watch's delay of a few milliseconds on one machine) and keeps the last status.
 * The status itself has only the start, quiesce and completion times; the phase times are what
 * split the downtime between stop, final sync, switch and start.
 */
final class MigrationTrace implements AutoCloseable {

  /**
   * A migration as last seen, when each phase was first seen, and when each state of the final
   * (fenced) round was first seen: Requested by the controller, Running once the source agent
   * took it, Succeeded once the stream arrived.
   */
  record Seen(Migration migration, Map<MigrationPhase, Instant> phases, Map<TransferState, Instant> finalRound) {}

  private final Map<String, Migration> last = new ConcurrentHashMap<>();
  private final Map<String, Map<MigrationPhase, Instant>> phases = new ConcurrentHashMap<>();
  private final Map<String, Map<TransferState, Instant>> finalRounds = new ConcurrentHashMap<>();
  private final Subscription watch;

  MigrationTrace(EtcdStore store) {
    this.watch = store.listAndWatch(Kind.MIGRATION, LabelSelector.EVERYTHING, this::seen);
  }

  private void seen(WatchEvent<Migration> event) {
    Instant now = Instant.now();
    Migration m = event.object();
    if (event.type() == WatchEvent.Type.DELETED) {
      return;
    }
    phases.computeIfAbsent(m.name(), n -> new EnumMap<>(MigrationPhase.class)).putIfAbsent(m.status().phase(), now);
    m.status().currentTransfer().filter(Transfer::fence).ifPresent(t -> finalRounds
        .computeIfAbsent(m.name(), n -> new EnumMap<>(TransferState.class)).putIfAbsent(t.state(), now));
    last.put(m.name(), m);
  }

  /** Waits for the migration to finish (Succeeded, RolledBack or Failed). */
  Seen awaitFinished(String name, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Migration> m = Optional.ofNullable(last.get(name));
      if (m.isPresent() && m.get().status().phase().isFinished()) {
        return new Seen(m.get(), Map.copyOf(phases.get(name)), Map.copyOf(finalRounds.getOrDefault(name, Map.of())));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("migration " + name + " did not finish within " + timeout + "; last seen: "
            + m.map(x -> x.status().phase() + " (" + x.status().message() + ")").orElse("never"));
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    watch.close();
  }
}
