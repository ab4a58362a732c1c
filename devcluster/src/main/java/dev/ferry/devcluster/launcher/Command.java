package dev.ferry.devcluster.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A short command the launcher runs to completion ({@code zpool}, {@code umount}, {@code ss}); never a shell. */
record Command(List<String> command, int exit, String stdout, String stderr) {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  static Command run(String... command) {
    List<String> list = List.of(command);
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

  boolean ok() {
    return exit == 0;
  }

  /** What went wrong, for messages: the command and its error output. */
  String failure() {
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
