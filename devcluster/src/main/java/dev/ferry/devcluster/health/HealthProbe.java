package dev.ferry.devcluster.health;

import dev.ferry.devcluster.apps.HealthCheckSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one health check once. Succeeds with empty when the check passes, or with the cause of
 * failure: HTTP(S) wants a 200-399 answer, TCP a connection, COMMAND exit status 0, all within
 * {@code timeoutSeconds}. Never blocks the event loop: commands run on a worker.
 */
public final class HealthProbe {

  private final Vertx vertx;
  private final HttpClient http;
  private final HttpClient https;

  public HealthProbe(Vertx vertx) {
    this.vertx = vertx;
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    this.https = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setSsl(true).setTrustAll(true).setVerifyHost(false));
  }

  /** Probes {@code host:port} (or runs the command in {@code sandbox} with {@code env}). */
  public Future<Optional<String>> probe(HealthCheckSpec check, String host, int port, Path sandbox, Map<String, String> env) {
    return switch (check.protocol()) {
      case "HTTP", "MESOS_HTTP" -> http(http, check, host, port);
      case "HTTPS", "MESOS_HTTPS" -> http(https, check, host, port);
      case "TCP", "MESOS_TCP" -> tcp(check, host, port);
      case "COMMAND" -> command(check, sandbox, env);
      default -> Future.succeededFuture(Optional.of("unsupported protocol " + check.protocol()));
    };
  }

  private Future<Optional<String>> http(HttpClient client, HealthCheckSpec check, String host, int port) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
        .setURI(check.path()).setTimeout(check.timeout().toMillis());
    return client.request(options)
        .compose(request -> request.send())
        .map(response -> {
          int status = response.statusCode();
          boolean ok = (status >= 200 && status < 400) || (check.ignoreHttp1xx() && status < 200);
          return ok ? Optional.<String>empty() : Optional.of("HTTP status " + status);
        })
        .otherwise(e -> Optional.of(String.valueOf(e.getMessage())));
  }

  private Future<Optional<String>> tcp(HealthCheckSpec check, String host, int port) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) check.timeout().toMillis()));
    return client.connect(port, host)
        .compose(socket -> socket.close().map(v -> Optional.<String>empty()))
        .otherwise(e -> Optional.of(String.valueOf(e.getMessage())))
        .eventually(() -> client.close());
  }

  private Future<Optional<String>> command(HealthCheckSpec check, Path sandbox, Map<String, String> env) {
    return vertx.executeBlocking(() -> {
      ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", check.command().orElse("false"))
          .directory(sandbox.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(check.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return Optional.of("command timed out after " + check.timeout().toSeconds() + "s");
      }
      int code = process.exitValue();
      return code == 0 ? Optional.<String>empty() : Optional.of("command exited with status " + code);
    }, false);
  }

  /** Closes its HTTP clients; the probe is not used after. */
  public Future<Void> close() {
    return Future.join(http.close(), https.close()).mapEmpty();
  }
}
