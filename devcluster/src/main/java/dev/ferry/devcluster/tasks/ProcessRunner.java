package dev.ferry.devcluster.tasks;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Runs tasks as real local processes: {@code setsid} makes each its own process group, the
 * sandbox is its working directory and holds its {@code stdout}/{@code stderr}. Spawning happens
 * on a worker thread, never on the event loop.
 */
public final class ProcessRunner implements TaskRunner {

  private final Vertx vertx;
  private final String schedulerUser = System.getProperty("user.name");

  public ProcessRunner(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<RunningTask> start(LaunchSpec spec) {
    if (spec.dockerImage().isPresent()) {
      return Future.failedFuture("Docker image " + spec.dockerImage().get()
          + " cannot run: devcluster has no Docker engine; use a plain cmd app");
    }
    Context context = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> {
      Sandbox.prepare(spec.sandbox(), spec.volumes());
      ProcessBuilder builder = new ProcessBuilder(argv(spec))
          .directory(spec.sandbox().toFile())
          .redirectOutput(spec.sandbox().resolve("stdout").toFile())
          .redirectError(spec.sandbox().resolve("stderr").toFile());
      builder.environment().putAll(spec.env());
      try {
        return (RunningTask) LocalProcess.child(vertx, context, builder.start());
      } catch (IOException e) {
        throw new IOException("Failed to launch " + spec.command() + ": " + e.getMessage(), e);
      }
    }, false);
  }

  @Override
  public Optional<RunningTask> adopt(String taskId, OptionalLong pid) {
    if (pid.isEmpty()) {
      return Optional.empty();
    }
    Context context = vertx.getOrCreateContext();
    return ProcessTree.alive(pid.getAsLong())
        .filter(p -> ProcessTree.isTask(p.pid(), taskId))
        .map(p -> LocalProcess.adopted(vertx, context, p));
  }

  @Override
  public boolean simulated() {
    return false;
  }

  private List<String> argv(LaunchSpec spec) {
    List<String> argv = new ArrayList<>(List.of("setsid"));
    spec.user().filter(u -> !u.equals(schedulerUser)).ifPresent(user -> {
      // Only root may switch users; runuser then fails with its own clear message if it cannot.
      argv.addAll(List.of("runuser", "-u", user, "--"));
    });
    argv.addAll(spec.command());
    return argv;
  }
}
