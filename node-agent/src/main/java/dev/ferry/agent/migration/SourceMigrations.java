package dev.ferry.agent.migration;

import dev.ferry.agent.transfer.TransferClient;
import dev.ferry.agent.watch.ClusterView;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.api.events.EventRecorder;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.Transfer;
import dev.ferry.api.model.TransferState;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.transfer.ClusterKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The source agent's side of migrations: for a Migration whose {@code spec.from} is this node,
 * does the round its {@code status.transfer} asks for when it is {@code Requested}, or
 * {@code Running} while no round of it runs in this process (the agent that ran it died), unless
 * the Migration has ended: the controller may end a move (the source's Node went away) with a
 * round still requested, and that round must not fence the copy the app runs on again.
 *
 * <p>{@link #reconcile} is a work loop's function: the loop never runs it twice at once for one
 * Migration, so "no round of it runs in this process" is simply "we are called".
 */
public final class SourceMigrations {

  private final ClusterView view;
  private final String node;
  private final SourceRound round;
  private volatile boolean stopping;

  /**
   * @param datasetChanged told the name of a dataset whose copy a round changed (fence, snapshot)
   * @param events where a failed round is told to people
   */
  public SourceMigrations(Vertx vertx, EtcdStore store, ZfsDriver zfs, TransferClient client, ClusterKey key,
      ClusterView view, String node, Clock clock, Consumer<String> datasetChanged, EventRecorder events) {
    this.view = view;
    this.node = node;
    this.round = new SourceRound(vertx, store, zfs, client, key, node, clock, () -> stopping, datasetChanged,
        events);
  }

  /** Whether this agent is the source of {@code migration}, so that its changes concern it. */
  public boolean concerns(Migration migration) {
    return migration.spec().from().equals(node);
  }

  /** Looks at one Migration and does its requested round if it is this node's to do. */
  public Future<Void> reconcile(String name) {
    if (stopping) {
      return Future.succeededFuture();
    }
    Optional<Migration> migration = view.migration(name).filter(this::concerns)
        .filter(m -> !m.status().phase().isFinished());
    Optional<Transfer> asked = migration.flatMap(m -> m.status().currentTransfer())
        .filter(t -> t.state() == TransferState.Requested || t.state() == TransferState.Running);
    if (asked.isEmpty()) {
      return Future.succeededFuture();
    }
    return round.run(migration.get(), asked.get());
  }

  /**
   * From now on, rounds that end do not report (they end because the agent stops: the next agent
   * does them again) and no new round starts.
   */
  public void stop() {
    stopping = true;
  }
}
