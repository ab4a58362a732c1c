package dev.ferry.agent.migration;

import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.Transfer;
import dev.ferry.api.store.ConflictException;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.Failures;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Writes what the source agent learns about a round into {@code Migration.status.transfer}, with
 * compare-and-swap on the Migration's revision (the controller writes the same status). A write
 * happens only while the stored transfer is still the request the agent works on and unfinished:
 * a newer request (another round, or the same round with a new ticket) is never overwritten.
 * Nor is the request of a Migration that has ended: a round the controller asked for and then
 * abandoned by ending the move (RolledBack while the source agent was dead) is not taken, so the
 * source is never fenced for a move that is over (it would stay read-only under the app the
 * rollback starts on it again).
 */
final class TransferStatusWriter {

  private static final int ATTEMPTS = 10;

  private final EtcdStore store;

  TransferStatusWriter(EtcdStore store) {
    this.store = store;
  }

  /**
   * Applies {@code change} to the stored transfer if it is still {@code asked}.
   *
   * @return whether it was written; false when the request was superseded, finished, or gone, or
   *     the Migration has ended
   */
  Future<Boolean> write(String migration, Transfer asked, UnaryOperator<Transfer> change) {
    return attempt(migration, asked, change, 1);
  }

  private Future<Boolean> attempt(String migration, Transfer asked, UnaryOperator<Transfer> change, int n) {
    return Future.fromCompletionStage(store.get(Kind.MIGRATION, migration)).compose(found -> {
      Optional<Transfer> current = found.flatMap(m -> m.status().currentTransfer());
      if (current.isEmpty() || !current.get().sameRequest(asked) || current.get().state().isFinished()
          || found.get().status().phase().isFinished()) {
        return Future.succeededFuture(false);
      }
      Migration m = found.get();
      return Future.fromCompletionStage(store.updateStatus(m.withStatus(m.status().withTransfer(change.apply(current.get())))))
          .map(true)
          .recover(e -> isConflict(e) && n < ATTEMPTS ? attempt(migration, asked, change, n + 1) : Future.failedFuture(e));
    });
  }

  private static boolean isConflict(Throwable e) {
    return Failures.cause(e) instanceof ConflictException;
  }
}
