package dev.ferry.example.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis client that follows the database when Ferry moves it: when the connection fails it
 * asks Marathon where the task runs now, connects there, and sends the command again, until the
 * command's deadline. A command succeeds only once Redis has answered it, so a write the app
 * acknowledges is one Redis acknowledged (with {@code appendfsync always}, on disk).
 *
 * <p>A command cut off by a lost connection may have run before the connection dropped, so only
 * idempotent commands should be retried blindly; the todo store's are (see TodoStore). Used from
 * the one event-loop context of the verticle that created it.
 */
public final class FollowingRedis {

  private static final Logger LOG = LoggerFactory.getLogger(FollowingRedis.class);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(250);

  private final Vertx vertx;
  private final NetClient net;
  private final MarathonTasks tasks;
  private final Duration deadline;
  private final long retryPauseMs;
  private Optional<Future<RespConnection>> connection = Optional.empty();

  /**
   * @param deadline how long one command keeps trying while the database is away
   */
  public FollowingRedis(Vertx vertx, NetClient net, MarathonTasks tasks, Duration deadline) {
    this(vertx, net, tasks, deadline, RETRY_PAUSE);
  }

  /**
   * @param deadline how long one command keeps trying while the database is away
   * @param retryPause the pause between two tries: the app's 250 ms spares Marathon; a
   *     benchmark that times the cut-over asks more often, so that the pause does not count as
   *     downtime
   */
  public FollowingRedis(Vertx vertx, NetClient net, MarathonTasks tasks, Duration deadline, Duration retryPause) {
    this.vertx = vertx;
    this.net = net;
    this.tasks = tasks;
    this.deadline = deadline;
    this.retryPauseMs = Math.max(1, retryPause.toMillis());
  }

  /** Runs one command; fails with an {@link IOException} once the deadline has passed. */
  public Future<RespReply> send(String... command) {
    Promise<RespReply> result = Promise.promise();
    attempt(List.of(command), System.nanoTime() + deadline.toNanos(), result);
    return result.future();
  }

  private void attempt(List<String> command, long giveUpAt, Promise<RespReply> result) {
    Future<RespConnection> used = connected();
    used.compose(c -> c.send(command)).onComplete(ar -> {
      if (ar.succeeded() && !(ar.result() instanceof RespReply.Error e && e.isLoading())) {
        result.complete(ar.result());
        return;
      }
      String why = ar.succeeded() ? ((RespReply.Error) ar.result()).message() : ar.cause().getMessage();
      if (ar.failed()) {
        forget(used);
      }
      if (System.nanoTime() > giveUpAt) {
        result.fail(new IOException("the database did not answer within " + deadline.toSeconds() + " s: " + why));
        return;
      }
      // Every retry pause while the database moves: too often for INFO; the reconnection is logged there.
      LOG.debug("{}: the database is away ({}); trying again", command.get(0), why);
      vertx.setTimer(retryPauseMs, t -> attempt(command, giveUpAt, result));
    });
  }

  /** The open connection, or a new one to wherever Marathon says the database runs now. */
  private Future<RespConnection> connected() {
    Optional<Future<RespConnection>> current = connection.filter(f -> !f.failed()
        && (!f.succeeded() || f.result().isOpen()));
    if (current.isPresent()) {
      return current.get();
    }
    Future<RespConnection> fresh = tasks.locate().compose(address -> {
      LOG.info("connecting to the database at {}", address);
      return RespConnection.open(net, address);
    });
    connection = Optional.of(fresh);
    return fresh;
  }

  /** Drops a connection that failed, unless another command already replaced it. */
  private void forget(Future<RespConnection> failed) {
    if (connection.isPresent() && connection.get() == failed) {
      connection = Optional.empty();
      if (failed.succeeded()) {
        failed.result().close();
      }
    }
  }
}
