package dev.ferry.api.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A child process that must not leak: its output goes to a log file, callers can wait for it to
 * listen, be ready or exit, and it is stopped with SIGTERM, then SIGKILL after a grace period,
 * together with its descendants. Processes still running when the JVM exits are killed by a
 * shutdown hook, so a crashed run leaves none behind.
 *
 * <p>The one way Ferry launches processes: test fixtures (etcd, agents), the devcluster launcher
 * behind {@code ./ferry up}, and benchmarks. Commands are argument lists, never a shell.
 */
public final class ManagedProcess implements AutoCloseable {

  private static final Set<ManagedProcess> RUNNING = ConcurrentHashMap.newKeySet();
  private static final Duration POLL = Duration.ofMillis(50);

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> RUNNING.forEach(p -> p.stop(Duration.ofSeconds(2))), "managed-process-reaper"));
  }

  private final String name;
  private final Process process;
  private final Path logFile;

  private ManagedProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  /**
   * Starts {@code command} (program and arguments) with extra environment variables, appending
   * its stdout and stderr to {@code logFile}.
   *
   * @param name what error messages call it
   */
  public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path logFile) {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(env);
    try {
      ManagedProcess started = new ManagedProcess(name, builder.start(), logFile);
      RUNNING.add(started);
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  /** Waits until something accepts TCP connections on host:port. */
  public ManagedProcess awaitPort(String host, int port, Duration timeout) {
    return awaitReady("listening on " + host + ":" + port, timeout, () -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), 200);
        return true;
      } catch (IOException e) {
        return false;
      }
    });
  }

  /**
   * Waits until {@code probe} says yes.
   *
   * @throws IllegalStateException if the process exits first or the time runs out, with the end
   *     of its log
   */
  public ManagedProcess awaitReady(String what, Duration timeout, BooleanSupplier probe) {
    Instant deadline = Instant.now().plus(timeout);
    while (!probe.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue()
            + " before " + what + "; its log ends:\n" + logTail());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(name + " not " + what + " after " + timeout
            + "; its log ends:\n" + logTail());
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + name, e);
      }
    }
    return this;
  }

  /**
   * Waits for the process to exit by itself and returns its exit status.
   *
   * @throws IllegalStateException if it still runs after {@code timeout}; it is then stopped
   */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        stop(Duration.ofSeconds(5));
        throw new IllegalStateException(name + " still ran after " + timeout + "; stopped it. Its log ends:\n"
            + logTail());
      }
      RUNNING.remove(this);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(Duration.ofSeconds(2));
      throw new IllegalStateException("interrupted waiting for " + name + " to exit", e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return logFile;
  }

  /**
   * Stops the process and its descendants: SIGTERM, then SIGKILL to whatever still runs after
   * {@code grace}. Returns once they are gone.
   */
  public void stop(Duration grace) {
    List<ProcessHandle> tree = process.descendants().toList();
    process.destroy();
    tree.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
      tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      tree.forEach(ProcessHandle::destroyForcibly);
      Thread.currentThread().interrupt();
    } finally {
      RUNNING.remove(this);
    }
  }

  /** Stops it with a 10 second grace period. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  /** The last lines of the log, for error messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
