package dev.ferry.controller.api;

import dev.ferry.api.metrics.PrometheusMetrics;
import dev.ferry.api.store.EtcdConfig;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.controller.auth.ReloadingTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.ferry.controller.gitops.GitSyncTrigger;
import dev.ferry.testing.EtcdExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running API server over a test's etcd, on a free port, with one token per role. Closing it
 * undeploys the server, closes Vert.x and the store.
 *
 * <p>Either started at once over a given etcd ({@link #start(EtcdConfig)}), or registered as a
 * class's extension with an etcd of its own, started before the first test and stopped (etcd
 * too) after the last:
 *
 * <pre>{@code
 * @RegisterExtension static final ApiFixture api = ApiFixture.withOwnEtcd();
 * }</pre>
 */
public final class ApiFixture implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  public static final String ADMIN = "admin-token-0123456789";
  public static final String EDIT = "edit-token-0123456789";
  public static final String VIEW = "view-token-0123456789";
  /** Prometheus' token: it may only scrape {@code /metrics}. */
  public static final String METRICS = "metrics-token-0123456789";
  public static final String TOKENS = ADMIN + ",alice,admin\n" + EDIT + ",ci,edit\n" + VIEW + ",bob,view\n"
      + METRICS + ",prometheus,metrics\n";

  // Set when the server starts: at once, or in beforeAll when registered as an extension.
  public Vertx vertx;
  public EtcdStore store;
  public PrometheusMetrics metrics;
  /** The tokens file the server reads (again, when it changes); removed on close. */
  public Path tokensFile;
  private ApiServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  /** The etcd this fixture starts and stops itself, in extension mode. */
  private final EtcdExtension ownEtcd;
  private final ApiServerOptions options;

  private ApiFixture(EtcdExtension ownEtcd, ApiServerOptions options) {
    this.ownEtcd = ownEtcd;
    this.options = options;
  }

  private ApiFixture begin(EtcdConfig config, ApiServerOptions options, GitSyncTrigger gitSync) {
    vertx = Vertx.vertx();
    metrics = new PrometheusMetrics();
    try {
      store = EtcdStore.connect(config);
      tokensFile = Files.createTempFile("ferry-tokens", ".csv");
      Files.writeString(tokensFile, TOKENS);
      server = new ApiServer(options, store, ReloadingTokens.read(tokensFile), metrics, gitSync);
      vertx.deployVerticle(server).await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("the API server did not start", e);
    }
    return this;
  }

  private static ApiServerOptions loopback() {
    return ApiServerOptions.defaults().withListen("127.0.0.1", 0);
  }

  public static ApiFixture start(EtcdConfig config) {
    return start(config, loopback(), GitSyncTrigger.NOT_RUNNING);
  }

  public static ApiFixture start(EtcdConfig config, ApiServerOptions options, GitSyncTrigger gitSync) {
    return new ApiFixture(null, options).begin(config, options, gitSync);
  }

  /** An extension: its own etcd and the server with the default options (loopback, a free port). */
  public static ApiFixture withOwnEtcd() {
    return withOwnEtcd(loopback());
  }

  /** An extension: its own etcd and the server with {@code options}. */
  public static ApiFixture withOwnEtcd(ApiServerOptions options) {
    return new ApiFixture(new EtcdExtension(), options);
  }

  /** The etcd this extension started (to kill, restart or compact it). */
  public EtcdExtension etcd() {
    if (ownEtcd == null) {
      throw new IllegalStateException("this fixture runs over an etcd it was given");
    }
    return ownEtcd;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    etcd().beforeAll(context);
    try {
      begin(ownEtcd.config(), options, GitSyncTrigger.NOT_RUNNING);
    } catch (RuntimeException e) {
      ownEtcd.afterAll(context);
      throw e;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      close();
    } finally {
      etcd().afterAll(context);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /** The server's routes ({@link ApiServer#routes}). */
  List<io.vertx.ext.web.Route> routes() {
    return server.routes();
  }

  public int port() {
    return server.port();
  }

  /** Sends a request; {@code token} null sends none. */
  public HttpResponse<String> send(String method, String path, String token, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> get(String path) {
    return send("GET", path, ADMIN, null);
  }

  public HttpResponse<String> put(String path, String body) {
    return send("PUT", path, ADMIN, body);
  }

  /** etcd's current revision, from a list's header (any list: the revision is the store's). */
  public long revision() {
    try {
      return store.list(dev.ferry.api.model.Kind.EVENT, dev.ferry.api.model.LabelSelector.EVERYTHING)
          .get(20, TimeUnit.SECONDS).revision();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read etcd's revision", e);
    }
  }

  @Override
  public void close() {
    if (vertx == null) {
      return;
    }
    try {
      vertx.close().await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Vert.x did not close", e);
    } finally {
      vertx = null;
      if (store != null) {
        store.close();
      }
      metrics.close();
      try {
        if (tokensFile != null) {
          Files.deleteIfExists(tokensFile);
        }
      } catch (IOException e) {
        // a temp file left behind is harmless
      }
    }
  }
}
