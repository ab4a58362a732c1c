package dev.ferry.devcluster.tasks;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code --simulate-tasks}: tasks go RUNNING without any process, for controller scale
 * benchmarks. They run until killed; a killed one ends {@code TASK_KILLED}.
 */
public final class SimulatedRunner implements TaskRunner {

  /** The status message every simulated task carries, so that no one mistakes it for a real one. */
  public static final String MESSAGE = "simulated by devcluster --simulate-tasks: no process runs";

  @Override
  public Future<RunningTask> start(LaunchSpec spec) {
    return Future.succeededFuture(new Simulated());
  }

  @Override
  public Optional<RunningTask> adopt(String taskId, OptionalLong pid) {
    return Optional.empty();
  }

  @Override
  public boolean simulated() {
    return true;
  }

  private static final class Simulated implements RunningTask {
    private final Promise<Exit> exit = Promise.promise();

    @Override
    public OptionalLong pid() {
      return OptionalLong.empty();
    }

    @Override
    public Future<Exit> exit() {
      return exit.future();
    }

    @Override
    public void kill(Duration grace) {
      exit.tryComplete(new Exit(TaskState.TASK_KILLED, MESSAGE));
    }
  }
}
