package dev.ferry.controller.api;

import dev.ferry.api.metrics.PrometheusMetrics;
import dev.ferry.api.store.EtcdConfig;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.controller.auth.ReloadingTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.ferry.controller.gitops.GitSyncTrigger;
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
 */
public final class ApiFixture implements AutoCloseable {

  public static final String ADMIN = "admin-token-0123456789";
  public static final String EDIT = "edit-token-0123456789";
  public static final String VIEW = "view-token-0123456789";
  /** Prometheus' token: it may only scrape {@code /metrics}. */
  public static final String METRICS = "metrics-token-0123456789";
  public static final String TOKENS = ADMIN + ",alice,admin\n" + EDIT + ",ci,edit\n" + VIEW + ",bob,view\n"
      + METRICS + ",prometheus,metrics\n";

  public final Vertx vertx = Vertx.vertx();
  public final EtcdStore store;
  public final PrometheusMetrics metrics = new PrometheusMetrics();
  /** The tokens file the server reads (again, when it changes); removed on close. */
  public final Path tokensFile;
  private final ApiServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  private ApiFixture(EtcdConfig config, ApiServerOptions options, GitSyncTrigger gitSync) {
    store = EtcdStore.connect(config);
    try {
      tokensFile = Files.createTempFile("ferry-tokens", ".csv");
      Files.writeString(tokensFile, TOKENS);
    } catch (IOException e) {
      store.close();
      throw new UncheckedIOException(e);
    }
    server = new ApiServer(options, store, ReloadingTokens.read(tokensFile), metrics, gitSync);
    try {
      vertx.deployVerticle(server).await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("the API server did not start", e);
    }
  }

  public static ApiFixture start(EtcdConfig config) {
    return start(config, ApiServerOptions.defaults().withListen("127.0.0.1", 0), GitSyncTrigger.NOT_RUNNING);
  }

  public static ApiFixture start(EtcdConfig config, ApiServerOptions options, GitSyncTrigger gitSync) {
    return new ApiFixture(config, options, gitSync);
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
    try {
      vertx.close().await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Vert.x did not close", e);
    } finally {
      store.close();
      metrics.close();
      try {
        Files.deleteIfExists(tokensFile);
      } catch (IOException e) {
        // a temp file left behind is harmless
      }
    }
  }
}
