package dev.ferry.devcluster.tasks;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/** A task running as a local process group; its exit is reported on the scheduler's context. */
final class LocalProcess implements RunningTask {

  private final Vertx vertx;
  private final ProcessHandle handle;
  private final Promise<Exit> exit = Promise.promise();
  private final AtomicBoolean killed = new AtomicBoolean();

  /** A process this scheduler started: its exit code is known. */
  static LocalProcess child(Vertx vertx, Context context, Process process) {
    LocalProcess task = new LocalProcess(vertx, process.toHandle());
    process.onExit().whenComplete((p, error) -> task.ended(context, p.exitValue()));
    return task;
  }

  /** A process a previous scheduler started: its exit code is unknown, so an exit counts as a failure. */
  static LocalProcess adopted(Vertx vertx, Context context, ProcessHandle handle) {
    LocalProcess task = new LocalProcess(vertx, handle);
    handle.onExit().whenComplete((h, error) -> task.ended(context, -1));
    return task;
  }

  private LocalProcess(Vertx vertx, ProcessHandle handle) {
    this.vertx = vertx;
    this.handle = handle;
  }

  private void ended(Context context, int code) {
    context.runOnContext(v -> exit.tryComplete(Exit.ofCode(code, killed.get())));
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
    long pid = handle.pid();
    vertx.executeBlocking(() -> {
      List<ProcessHandle> members = ProcessTree.members(pid);
      ProcessTree.signal(pid, "TERM", members);
      return members;
    }, false).onSuccess(members -> vertx.setTimer(Math.max(1, grace.toMillis()), t ->
        vertx.executeBlocking(() -> {
          List<ProcessHandle> left = new java.util.ArrayList<>(members);
          left.addAll(ProcessTree.members(pid));
          if (left.stream().anyMatch(ProcessHandle::isAlive)) {
            ProcessTree.signal(pid, "KILL", left);
          }
          return null;
        }, false)));
  }
}
