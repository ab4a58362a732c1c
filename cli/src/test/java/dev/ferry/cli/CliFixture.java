package dev.ferry.cli;

import dev.ferry.api.store.EtcdConfig;
import dev.ferry.controller.api.ApiFixture;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real API server over a test's etcd (the controller's {@link ApiFixture}), and ferryctl run
 * in-process against it with its own environment (FERRY_SERVER, FERRY_TOKEN, FERRY_CONFIG in a
 * temp folder).
 */
final class CliFixture implements AutoCloseable {

  final ApiFixture api;
  final Path home;

  CliFixture(EtcdConfig config, Path home) {
    this(home, ApiFixture.start(config));
  }

  /** Over an API server of the test's own (one running GitOps, say). */
  CliFixture(Path home, ApiFixture api) {
    this.home = home;
    this.api = api;
  }

  /** What one ferryctl run printed and returned. */
  record Run(int exit, String out, String err) {}

  Run run(String... args) {
    return runWith(Map.of(), "", args);
  }

  /** As {@link #run}, with stdout taken for a terminal (progress bars rather than lines). */
  Run runOnTerminal(String... args) {
    return run(Map.of(), "", true, args);
  }

  Run runWith(Map<String, String> extraEnv, String stdin, String... args) {
    return run(extraEnv, stdin, false, args);
  }

  private Run run(Map<String, String> extraEnv, String stdin, boolean terminal, String... args) {
    Map<String, String> env = new HashMap<>(Map.of("FERRY_SERVER", api.url(), "FERRY_TOKEN", ApiFixture.ADMIN,
        "FERRY_CONFIG", home.resolve("config").toString()));
    env.putAll(extraEnv);
    env.values().removeIf(String::isEmpty);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliEnv cli = new CliEnv(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true), terminal, home);
    int exit = Ferryctl.run(cli, args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Runs ferryctl on a thread of its own, for commands that run until interrupted (get -w). */
  Background background(String... args) {
    return background(api.url(), home, args);
  }

  /** As {@link #background(String...)}, against the API server at {@code server}. */
  static Background background(String server, Path home, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliEnv cli = new CliEnv(Map.of("FERRY_SERVER", server, "FERRY_TOKEN", ApiFixture.ADMIN),
        new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true), new PrintWriter(err, true), false, home);
    Thread thread = new Thread(() -> Ferryctl.run(cli, args), "ferryctl-" + args[0]);
    thread.start();
    return new Background(thread, out, err);
  }

  record Background(Thread thread, StringWriter out, StringWriter err) implements AutoCloseable {
    String output() {
      synchronized (out) {
        return out.toString();
      }
    }

    String errors() {
      synchronized (err) {
        return err.toString();
      }
    }

    @Override
    public void close() throws InterruptedException {
      thread.interrupt();
      thread.join(20_000);
    }
  }

  @Override
  public void close() {
    api.close();
  }
}
