package dev.ferry.agent.zfs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code zfs} and {@code zpool} commands from argument lists (never through a shell, so
 * no argument is ever re-parsed), with a timeout, and turns a failure into a {@link
 * ZfsException} carrying the command's error text.
 *
 * <p>Blocking: call it from a worker thread, never from an event loop.
 */
public final class ZfsCli {

  private static final Logger LOG = LoggerFactory.getLogger(ZfsCli.class);

  /** Error output kept per process: enough for any zfs message, bounded for a misbehaving one. */
  static final int MAX_STDERR = 16 * 1024;

  private final String zfs;
  private final String zpool;
  private final Duration timeout;
  /** Every process this instance started: the agent's {@code ferry_agent_zfs_launches_total}. */
  private final AtomicLong launches = new AtomicLong();

  /**
   * @param zfs the {@code zfs} executable (a name looked up on the PATH, or a path)
   * @param zpool the {@code zpool} executable
   * @param timeout how long a non-streaming command may take before it is killed
   */
  public ZfsCli(String zfs, String zpool, Duration timeout) {
    this.zfs = zfs;
    this.zpool = zpool;
    this.timeout = timeout;
  }

  /** {@code zfs} and {@code zpool} from the PATH, 60 s per command. */
  public static ZfsCli standard() {
    return new ZfsCli("zfs", "zpool", Duration.ofSeconds(60));
  }

  /** How many {@code zfs} and {@code zpool} processes this instance has started. */
  public long launches() {
    return launches.get();
  }

  /** Runs {@code zfs args...}; returns its standard output. */
  public String zfs(String... args) {
    return run(command(zfs, args));
  }

  /** Runs {@code zpool args...}; returns its standard output. */
  public String zpool(String... args) {
    return run(command(zpool, args));
  }

  /**
   * Runs {@code zfs args...} and returns what it printed on either stream and its exit status,
   * without treating a non-zero exit as an error (for reading usage text).
   */
  public String zfsUsage(String... args) {
    List<String> command = command(zfs, args);
    Process process = start(command);
    Output output = await(command, process);
    return output.stdout() + output.stderr();
  }

  /**
   * Starts a long-running {@code zfs} command (send, receive) whose standard streams the caller
   * drives. No timeout applies: a stream takes as long as its size needs.
   */
  public StreamingProcess zfsStreaming(String... args) {
    List<String> command = command(zfs, args);
    LOG.debug("{} starting", command);
    return new StreamingProcess(command, start(command));
  }

  private String run(List<String> command) {
    long started = System.nanoTime();
    Process process = start(command);
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // The command reads no input; a failed close of its stdin changes nothing.
    }
    Output output = await(command, process);
    // Each command is a process launch and a round trip to the ZFS daemon: at DEBUG the cut-over's count shows.
    LOG.debug("{} exited {} after {} ms", command, output.exit(), (System.nanoTime() - started) / 1_000_000);
    if (output.exit() != 0) {
      throw ZfsException.fromCommand(command, output.exit(), output.stderr());
    }
    return output.stdout();
  }

  private record Output(int exit, String stdout, String stderr) {}

  private Output await(List<String> command, Process process) {
    CompletableFuture<String> out = drain(process.getInputStream(), Integer.MAX_VALUE);
    CompletableFuture<String> err = drain(process.getErrorStream(), MAX_STDERR);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new ZfsException(ZfsException.Reason.TIMED_OUT,
            String.join(" ", command) + ": no answer within " + timeout + "; is the ZFS daemon healthy?");
      }
      return new Output(process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ZfsException(ZfsException.Reason.FAILED, String.join(" ", command) + ": interrupted");
    }
  }

  private static List<String> command(String executable, String... args) {
    List<String> command = new ArrayList<>(args.length + 1);
    command.add(executable);
    command.addAll(List.of(args));
    return command;
  }

  private Process start(List<String> command) {
    launches.incrementAndGet();
    try {
      return new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new ZfsException(ZfsException.Reason.FAILED, String.join(" ", command) + ": cannot start: " + e.getMessage());
    }
  }

  /** Reads a stream to its end on its own thread, keeping at most {@code limit} bytes. */
  static CompletableFuture<String> drain(InputStream in, int limit) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          kept.write(buffer, 0, Math.max(0, Math.min(n, limit - kept.size())));
        }
      } catch (IOException e) {
        // The process went away; what was read so far is all there is.
      }
      result.complete(kept.toString(StandardCharsets.UTF_8));
    }, "zfs-output");
    reader.setDaemon(true);
    reader.start();
    return result;
  }

}
