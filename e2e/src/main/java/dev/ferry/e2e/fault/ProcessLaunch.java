package dev.ferry.e2e.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a running process was started, read from {@code /proc/PID/cmdline} and
 * {@code /proc/PID/environ}: enough to start it again exactly as {@code ./ferry up}'s supervisor
 * did, after the fault killed it. (The supervisor only notes that a component exited; it never
 * restarts one, and {@code ./ferry up} does nothing while the supervisor lives.)
 *
 * @param command the program and its arguments
 * @param env the whole environment it had
 */
public record ProcessLaunch(List<String> command, Map<String, String> env) {

  public ProcessLaunch {
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }

  /** Reads the launch of the live process {@code pid}. */
  public static ProcessLaunch of(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      List<String> command = split(Files.readAllBytes(proc.resolve("cmdline")));
      Map<String, String> env = new LinkedHashMap<>();
      for (String entry : split(Files.readAllBytes(proc.resolve("environ")))) {
        int eq = entry.indexOf('=');
        if (eq > 0) {
          env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
      }
      if (command.isEmpty()) {
        throw new IllegalStateException("process " + pid + " has no command line (a zombie or a kernel thread)");
      }
      return new ProcessLaunch(command, env);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read how process " + pid + " was started", e);
    }
  }

  /** The same launch with {@code overrides} over its environment. */
  public ProcessLaunch withEnv(Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>(env);
    merged.putAll(overrides);
    return new ProcessLaunch(command, merged);
  }

  private static List<String> split(byte[] nulSeparated) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < nulSeparated.length; i++) {
      if (nulSeparated[i] == 0) {
        parts.add(new String(nulSeparated, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < nulSeparated.length) {
      parts.add(new String(nulSeparated, start, nulSeparated.length - start, StandardCharsets.UTF_8));
    }
    return parts;
  }
}
