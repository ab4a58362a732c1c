package dev.ferry.api.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A short command run to completion ({@code zpool}, {@code umount}, {@code ss}) from an argument
 * list, never a shell, with its exit code and output. A command that cannot start or runs past
 * the timeout reads as exit -1 with the reason in {@code stderr}. Used by {@code ./ferry up} and
 * by test fixtures alike.
 */
public record Command(List<String> command, int exit, String stdout, String stderr) {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  public static Command run(String... command) {
    return run(List.of(command));
  }

  public static Command run(List<String> command) {
    List<String> list = List.copyOf(command);
    try {
      Process process = new ProcessBuilder(list).start();
      process.getOutputStream().close();
      CompletableFuture<String> out = readAsync(process.getInputStream());
      CompletableFuture<String> err = readAsync(process.getErrorStream());
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new Command(list, -1, "", "timed out after " + TIMEOUT);
      }
      return new Command(list, process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      return new Command(list, -1, "", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Command(list, -1, "", "interrupted");
    }
  }

  public boolean ok() {
    return exit == 0;
  }

  /** This result, or an exception saying what went wrong when the command failed. */
  public Command orThrow() {
    if (!ok()) {
      throw new IllegalStateException(failure());
    }
    return this;
  }

  /** What went wrong, for messages: the command and its error output. */
  public String failure() {
    return String.join(" ", command) + " failed (exit " + exit + "): " + (stderr + stdout).strip();
  }

  private static CompletableFuture<String> readAsync(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }
}
