package dev.ferry.cli;

import dev.ferry.api.store.EtcdConfig;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.controller.api.ApiServer;
import dev.ferry.controller.api.ApiServerOptions;
import dev.ferry.controller.auth.TokenFile;
import dev.ferry.controller.gitops.GitSyncTrigger;
import dev.ferry.controller.metrics.MetricsRegistry;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real API server over a test's etcd, and ferryctl run in-process against it with its own
 * environment (FERRY_SERVER, FERRY_TOKEN, FERRY_CONFIG in a temp folder).
 */
final class CliFixture implements AutoCloseable {

  static final String ADMIN = "admin-token-0123456789";
  static final String VIEW = "view-token-0123456789";

  final Vertx vertx = Vertx.vertx();
  final EtcdStore store;
  final ApiServer server;
  final Path home;

  CliFixture(EtcdConfig config, Path home) {
    this.home = home;
    store = EtcdStore.connect(config);
    server = new ApiServer(ApiServerOptions.defaults().withListen("127.0.0.1", 0), store,
        TokenFile.parse("tokens", ADMIN + ",alice,admin\n" + VIEW + ",bob,view\n"), new MetricsRegistry(),
        GitSyncTrigger.NOT_RUNNING);
    try {
      vertx.deployVerticle(server).await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("the API server did not start", e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /** What one ferryctl run printed and returned. */
  record Run(int exit, String out, String err) {}

  Run run(String... args) {
    return runWith(Map.of(), "", args);
  }

  Run runWith(Map<String, String> extraEnv, String stdin, String... args) {
    Map<String, String> env = new HashMap<>(Map.of("FERRY_SERVER", url(), "FERRY_TOKEN", ADMIN,
        "FERRY_CONFIG", home.resolve("config").toString()));
    env.putAll(extraEnv);
    env.values().removeIf(String::isEmpty);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliEnv cli = new CliEnv(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true), false, home);
    int exit = Ferryctl.run(cli, args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Runs ferryctl on a thread of its own, for commands that run until interrupted (get -w). */
  Background background(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliEnv cli = new CliEnv(Map.of("FERRY_SERVER", url(), "FERRY_TOKEN", ADMIN), new ByteArrayInputStream(new byte[0]),
        new PrintWriter(out, true), new PrintWriter(err, true), false, home);
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

    @Override
    public void close() throws InterruptedException {
      thread.interrupt();
      thread.join(20_000);
    }
  }

  @Override
  public void close() {
    try {
      vertx.close().await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Vert.x did not close", e);
    } finally {
      store.close();
    }
  }
}
