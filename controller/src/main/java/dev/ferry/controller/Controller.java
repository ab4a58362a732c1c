package dev.ferry.controller;

import dev.ferry.api.store.EtcdStore;
import dev.ferry.controller.api.ApiServer;
import dev.ferry.controller.api.ApiServerOptions;
import dev.ferry.controller.auth.TokenFile;
import dev.ferry.controller.auth.Tokens;
import dev.ferry.controller.gitops.GitOps;
import dev.ferry.controller.metrics.MetricsRegistry;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running controller: the store, the API server and GitOps, wired from a
 * {@link ControllerConfig}. {@link #close} stops them in reverse order.
 */
public final class Controller implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

  private final ControllerConfig config;
  private final EtcdStore store;
  private final Vertx vertx;
  private final MetricsRegistry metrics = new MetricsRegistry();
  private final GitOps gitops;
  private final ApiServer api;

  private Controller(ControllerConfig config) {
    this.config = config;
    Tokens tokens = TokenFile.read(config.tokensFile());
    this.store = EtcdStore.connect(config.etcd());
    this.vertx = Vertx.vertx();
    this.gitops = new GitOps(store, config.gitopsCacheDir(), metrics);
    this.api = new ApiServer(ApiServerOptions.defaults().withListen(config.listenHost(), config.listenPort()),
        store, tokens, metrics, gitops);
  }

  /**
   * Starts everything and returns once the API listens.
   *
   * @throws IllegalStateException if the API cannot listen (the port is taken) or the tokens
   *     file is unreadable
   */
  public static Controller start(ControllerConfig config) {
    Controller controller = new Controller(config);
    try {
      controller.vertx.deployVerticle(controller.api).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      controller.close();
      throw new IllegalStateException("the API cannot listen on " + config.listenHost() + ":"
          + config.listenPort() + ": " + e.getMessage(), e);
    }
    // Leader election will gate this: GitOps (like the reconcilers) must run on the leader only.
    controller.gitops.start();
    LOG.info("Ferry controller {} serving on {}:{}", ApiServer.version(), config.listenHost(), controller.api.port());
    return controller;
  }

  public int apiPort() {
    return api.port();
  }

  public MetricsRegistry metrics() {
    return metrics;
  }

  public EtcdStore store() {
    return store;
  }

  public ControllerConfig config() {
    return config;
  }

  @Override
  public void close() {
    gitops.stop();
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.toString());
    }
    store.close();
  }
}
