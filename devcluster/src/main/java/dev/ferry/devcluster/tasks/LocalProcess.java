package dev.ferry.devcluster.tasks;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task running as a local process group; its exit is reported on the scheduler's context.
 *
 * <p>The task is over when its whole group is gone, not when its leader exits: {@code sh -c}
 * forks the command, so a SIGTERM ends the shell at once while the command (Redis calling
 * {@code fsync} on its way out) still runs, with files open in its dataset. As a Mesos container
 * is destroyed before its task counts as ended, what is left of the group after the leader gets
 * SIGTERM, then SIGKILL after the grace period.
 */
final class LocalProcess implements RunningTask {

  private static final Logger LOG = LoggerFactory.getLogger(LocalProcess.class);
  /** The grace for what a task leaves behind when its leader exits unasked. */
  static final Duration ORPHAN_GRACE = Duration.ofSeconds(3);
  /** How long after SIGKILL a process may take to go (one stuck in a filesystem call) before we stop waiting. */
  private static final Duration AFTER_KILL = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 50;

  private final Vertx vertx;
  private final Context context;
  private final ProcessHandle handle;
  private final Promise<Exit> exit = Promise.promise();
  private final AtomicBoolean killed = new AtomicBoolean();
  private volatile Duration grace = ORPHAN_GRACE;

  /** A process this scheduler started: its exit code is known. */
  static LocalProcess child(Vertx vertx, Context context, Process process) {
    LocalProcess task = new LocalProcess(vertx, context, process.toHandle());
    process.onExit().whenComplete((p, error) -> task.leaderEnded(p.exitValue()));
    return task;
  }

  /** A process a previous scheduler started: its exit code is unknown, so an exit counts as a failure. */
  static LocalProcess adopted(Vertx vertx, Context context, ProcessHandle handle) {
    LocalProcess task = new LocalProcess(vertx, context, handle);
    handle.onExit().whenComplete((h, error) -> task.leaderEnded(-1));
    return task;
  }

  private LocalProcess(Vertx vertx, Context context, ProcessHandle handle) {
    this.vertx = vertx;
    this.context = context;
    this.handle = handle;
  }

  @Override
  public OptionalLong pid() {
    return OptionalLong.of(handle.pid());
  }

  @Override
  public Future<Exit> exit() {
    return exit.future();
  }

  @Override
  public void kill(Duration grace) {
    killed.set(true);
    this.grace = grace;
    long pid = handle.pid();
    vertx.executeBlocking(() -> {
      List<ProcessHandle> members = ProcessTree.members(pid);
      ProcessTree.signal(pid, "TERM", members);
      return members;
    }, false).onSuccess(members -> vertx.setTimer(Math.max(1, grace.toMillis()), t -> killRest(members)));
  }

  /** SIGKILL for whatever of the task still runs: the members seen at SIGTERM, the tree and the group. */
  private void killRest(List<ProcessHandle> seen) {
    long pid = handle.pid();
    vertx.executeBlocking(() -> {
      List<ProcessHandle> left = new ArrayList<>(seen);
      left.addAll(ProcessTree.members(pid));
      left.addAll(ProcessTree.group(pid));
      if (left.stream().anyMatch(ProcessHandle::isAlive)) {
        ProcessTree.signal(pid, "KILL", left);
      }
      return null;
    }, false);
  }

  /** The leader is gone; the task ends once the rest of its group is, too. */
  private void leaderEnded(int code) {
    boolean asked = killed.get();
    long pid = handle.pid();
    vertx.executeBlocking(() -> ProcessTree.group(pid), false).onComplete(found -> {
      List<ProcessHandle> left = found.succeeded() ? found.result() : List.of();
      if (left.isEmpty()) {
        finish(code, asked);
        return;
      }
      if (!asked) {
        LOG.info("task process {} exited; stopping the {} process(es) it left in its group", pid, left.size());
        vertx.executeBlocking(() -> {
          ProcessTree.signal(pid, "TERM", left);
          return null;
        }, false).onSuccess(v -> vertx.setTimer(Math.max(1, grace.toMillis()), t -> killRest(left)));
      }
      long deadline = System.nanoTime() + grace.plus(AFTER_KILL).toNanos();
      awaitGroupGone(pid, deadline, () -> finish(code, asked));
    });
  }

  private void awaitGroupGone(long pid, long deadline, Runnable then) {
    vertx.setTimer(POLL_MILLIS, t -> vertx.executeBlocking(() -> ProcessTree.group(pid), false).onComplete(found -> {
      if (found.failed() || found.result().isEmpty()) {
        then.run();
      } else if (System.nanoTime() > deadline) {
        LOG.warn("task process group {} still has {} process(es) after SIGKILL; counting the task as ended",
            pid, found.result().size());
        then.run();
      } else {
        awaitGroupGone(pid, deadline, then);
      }
    }));
  }

  private void finish(int code, boolean asked) {
    context.runOnContext(v -> exit.tryComplete(Exit.ofCode(code, asked || killed.get())));
  }
}
