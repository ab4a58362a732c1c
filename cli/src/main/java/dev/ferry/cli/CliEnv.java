package dev.ferry.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything ferryctl takes from its surroundings, so that tests run it in-process: the
 * environment variables, standard streams, whether stdout is a terminal, and the home folder.
 */
public record CliEnv(Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err, boolean terminal, Path home) {

  public CliEnv {
    env = Map.copyOf(env);
  }

  /** The real process's surroundings. */
  public static CliEnv system() {
    return new CliEnv(System.getenv(), System.in, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
        System.console() != null, Path.of(System.getProperty("user.home")));
  }

  public Optional<String> variable(String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
  }

  /** The contexts file: {@code FERRY_CONFIG}, else {@code ~/.ferry/config}. */
  public Path configFile() {
    return variable("FERRY_CONFIG").map(Path::of).orElse(home.resolve(".ferry").resolve("config"));
  }
}
