package dev.ferry.controller.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.controller.statefulapp.MarathonView;
import dev.ferry.controller.statefulapp.TaskView;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import dev.ferry.controller.discovery.Urls;
import java.net.URI;
import java.util.function.Supplier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Marathon's REST API v2, the part Ferry uses: read an app with its tasks, write one, delete one.
 * Answers are typed: a 409 is a {@link MarathonLockedException}, a 422 a
 * {@link MarathonRejectedException}, anything else unexpected a {@link MarathonException} (a 401
 * when Marathon wants other credentials). With credentials, every request carries them as basic
 * authentication, in a header: never in the URL, never in a log line.
 */
public final class MarathonClient implements AutoCloseable {

  private final Vertx vertx;
  private final WebClient client;
  private final Supplier<URI> base;
  private final Optional<MarathonCredentials> credentials;

  /** A client of a Marathon without authentication. */
  public MarathonClient(Vertx vertx, URI base) {
    this(vertx, () -> base, Optional.empty());
  }

  /**
   * A client of whichever Marathon {@code base} names at each request (the leader, when found
   * through ZooKeeper), sending {@code credentials} when given.
   */
  public MarathonClient(Vertx vertx, Supplier<URI> base, Optional<MarathonCredentials> credentials) {
    this.vertx = vertx;
    this.base = base;
    this.credentials = credentials;
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setKeepAlive(true)
        .setConnectTimeout(5_000)
        .setIdleTimeout(60));
  }

  /**
   * A stream of this Marathon's events, with the same base and credentials; call
   * {@link MarathonEventStream#start()} on it.
   */
  public MarathonEventStream events(Handler<MarathonEvent> onEvent, Runnable onConnected) {
    return new MarathonEventStream(vertx, base, credentials, onEvent, onConnected);
  }

  /** The Marathon requests go to now. */
  public URI base() {
    return base.get();
  }

  /** The app with its tasks, or empty when Marathon has no such app. */
  public Future<Optional<MarathonView>> app(String appId) {
    return send(request(HttpMethod.GET, "/v2/apps" + appId).addQueryParam("embed", "app.tasks"), null)
        .map(r -> r.statusCode() == 404 ? Optional.<MarathonView>empty()
            : Optional.of(view(body(check(r)).path("app"))));
  }

  /** Every app that carries {@code label}, with tasks: e.g. all the apps Ferry owns. */
  public Future<List<MarathonView>> appsLabelled(String label) {
    return send(request(HttpMethod.GET, "/v2/apps").addQueryParam("label", label)
        .addQueryParam("embed", "apps.tasks"), null)
        .map(r -> {
          List<MarathonView> views = new ArrayList<>();
          body(check(r)).path("apps").forEach(a -> views.add(view(a)));
          return views;
        });
  }

  /**
   * Creates or replaces the app ({@code PUT /v2/apps/{id}?partialUpdate=false}): the app becomes
   * exactly what is sent. Marathon's default is a partial update, which would keep a field the
   * user removed from the spec.
   *
   * @param force break a running deployment's lock: used to stop an app for a migration
   * @return the deployment id Marathon started
   */
  public Future<String> putApp(String appId, ObjectNode app, boolean force) {
    HttpRequest<Buffer> put = request(HttpMethod.PUT, "/v2/apps" + appId).addQueryParam("partialUpdate", "false");
    if (force) {
      put.addQueryParam("force", "true");
    }
    return send(put, app).map(r -> body(check(r)).path("deploymentId").asText(""));
  }

  /** Deletes the app and so kills its tasks; an app already gone is fine. */
  public Future<Void> deleteApp(String appId) {
    return send(request(HttpMethod.DELETE, "/v2/apps" + appId).addQueryParam("force", "true"), null)
        .map(r -> {
          if (r.statusCode() != 404) {
            check(r);
          }
          return null;
        });
  }

  @Override
  public void close() {
    client.close();
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path) {
    HttpRequest<Buffer> request = client.requestAbs(method, Urls.under(base.get(), path))
        .putHeader("Accept", "application/json");
    credentials.ifPresent(c -> request.putHeader("Authorization", c.authorization()));
    return request;
  }

  private Future<HttpResponse<Buffer>> send(HttpRequest<Buffer> request, JsonNode body) {
    Future<HttpResponse<Buffer>> sent = body == null ? request.send()
        : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body.toString()));
    return sent.recover(e -> Future.failedFuture(new MarathonException("Marathon at " + base.get() + " did not answer: "
        + e.getMessage(), e)));
  }

  private static HttpResponse<Buffer> check(HttpResponse<Buffer> r) {
    int s = r.statusCode();
    if (s >= 200 && s < 300) {
      return r;
    }
    JsonNode error = bodyOrEmpty(r);
    String message = error.path("message").asText(r.statusMessage());
    if (s == 409) {
      List<String> ids = new ArrayList<>();
      error.path("deployments").forEach(d -> ids.add(d.path("id").asText()));
      throw new MarathonLockedException(message, ids);
    }
    if (s == 422 || s == 400) {
      List<String> details = new ArrayList<>();
      error.path("details").forEach(d -> details.add(d.path("path").asText() + ": " + d.path("errors")));
      throw new MarathonRejectedException(s, message, details);
    }
    throw new MarathonException(s, "Marathon answered " + s + ": " + message);
  }

  private static JsonNode body(HttpResponse<Buffer> r) {
    try {
      return Json.json().readTree(r.bodyAsString());
    } catch (IOException e) {
      throw new MarathonException(r.statusCode(), "Marathon's answer is not JSON: " + e.getMessage());
    }
  }

  private static JsonNode bodyOrEmpty(HttpResponse<Buffer> r) {
    try {
      JsonNode n = r.body() == null ? null : Json.json().readTree(r.bodyAsString());
      return n == null ? Json.json().createObjectNode() : n;
    } catch (IOException e) {
      return Json.json().createObjectNode();
    }
  }

  /** An app as Marathon reports it: definition, tasks, whether a deployment runs. */
  static MarathonView view(JsonNode app) {
    boolean hasChecks = app.path("healthChecks").size() > 0;
    List<TaskView> tasks = new ArrayList<>();
    for (JsonNode t : app.path("tasks")) {
      boolean healthy = true;
      if (hasChecks) {
        JsonNode results = t.path("healthCheckResults");
        healthy = results.size() > 0;
        for (JsonNode h : results) {
          healthy &= h.path("alive").asBoolean(false);
        }
      }
      tasks.add(new TaskView(t.path("id").asText(), t.path("host").asText(), t.path("state").asText(), healthy));
    }
    ObjectNode definition = app.deepCopy();
    definition.remove(List.of("tasks", "deployments", "tasksRunning", "tasksStaged", "tasksHealthy", "tasksUnhealthy",
        "lastTaskFailure"));
    return new MarathonView(definition, tasks, app.path("deployments").size() > 0);
  }
}
