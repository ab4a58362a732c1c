package dev.ferry.agent.zfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A running {@code zfs send} or {@code zfs receive}: the caller reads the stream from {@link
 * #output()} (send) or writes it into {@link #input()} (receive), then calls {@link
 * #awaitSuccess()}. Nothing is buffered here beyond the operating system's pipe, so the reader's
 * pace is the writer's pace.
 *
 * <p>{@link #close()} kills the process if it is still running, so a try-with-resources block
 * never leaves a {@code zfs} process behind; a receive killed that way leaves the target at its
 * last complete snapshot.
 */
public final class StreamingProcess implements AutoCloseable {

  private final List<String> command;
  private final Process process;
  private final CompletableFuture<String> stderr;

  StreamingProcess(List<String> command, Process process) {
    this.command = List.copyOf(command);
    this.process = process;
    this.stderr = ZfsCli.drain(process.getErrorStream(), ZfsCli.MAX_STDERR);
  }

  /** The process's standard output: the stream of a {@code zfs send}. */
  public InputStream output() {
    return process.getInputStream();
  }

  /** The process's standard input: what a {@code zfs receive} reads. */
  public OutputStream input() {
    return process.getOutputStream();
  }

  /**
   * Closes the process's input (the end of a received stream) and waits for it to exit.
   *
   * @throws ZfsException classified from the error output when it exits non-zero
   */
  public void awaitSuccess() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // Already closed, or the process already exited: its exit status says what happened.
    }
    int exit;
    try {
      exit = process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ZfsException(ZfsException.Reason.FAILED, String.join(" ", command) + ": interrupted");
    }
    if (exit != 0) {
      throw ZfsException.fromCommand(command, exit, stderr.join());
    }
  }

  /** Kills the process; the partial stream is discarded by ZFS. */
  public void abort() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      abort();
    }
  }

  @Override
  public String toString() {
    return String.join(" ", command);
  }
}
