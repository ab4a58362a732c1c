package dev.ferry.example.redis;

import dev.ferry.api.marathon.MarathonCredentials;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * Finds where a Marathon app's task listens, from {@code GET /v2/apps/{id}/tasks}: the way the
 * app follows its database when Ferry moves it to another node.
 */
public final class MarathonTasks {

  private final HttpClient http;
  private final URI marathon;
  private final Optional<MarathonCredentials> credentials;
  private final String appId;

  /**
   * @param marathon Marathon's base URL
   * @param credentials sent as basic authentication when given
   * @param appId the database's Marathon app id, such as {@code /todos-db}
   */
  public MarathonTasks(HttpClient http, URI marathon, Optional<MarathonCredentials> credentials, String appId) {
    this.http = http;
    this.marathon = marathon;
    this.credentials = credentials;
    this.appId = appId.startsWith("/") ? appId : "/" + appId;
  }

  /** The address of a running task of the app; fails with an {@link IOException} when none runs. */
  public Future<RedisAddress> locate() {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
        .setAbsoluteURI(marathon.resolve("/v2/apps" + appId + "/tasks").toString())
        .putHeader("Accept", "application/json").setTimeout(5_000);
    credentials.ifPresent(c -> request.putHeader("Authorization", c.authorization()));
    return http.request(request)
        .compose(r -> r.send())
        .compose(this::body)
        .compose(body -> pick(body).map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(new IOException("Marathon runs no task of " + appId + " yet"))));
  }

  private Future<JsonObject> body(HttpClientResponse response) {
    return response.body().compose(b -> response.statusCode() == 200
        ? Future.succeededFuture(b.toJsonObject())
        : Future.failedFuture(new IOException("Marathon answered " + response.statusCode() + " for the tasks of " + appId)));
  }

  /**
   * A running task with a port, preferring one whose health checks pass. Package-private for
   * its test.
   */
  static Optional<RedisAddress> pick(JsonObject body) {
    JsonArray tasks = body.getJsonArray("tasks", new JsonArray());
    Optional<RedisAddress> running = Optional.empty();
    for (int i = 0; i < tasks.size(); i++) {
      JsonObject task = tasks.getJsonObject(i);
      JsonArray ports = task.getJsonArray("ports", new JsonArray());
      if (!"TASK_RUNNING".equals(task.getString("state", "TASK_RUNNING")) || ports.isEmpty()) {
        continue;
      }
      RedisAddress address = new RedisAddress(task.getString("host"), ports.getInteger(0));
      if (healthy(task)) {
        return Optional.of(address);
      }
      running = running.or(() -> Optional.of(address));
    }
    return running;
  }

  private static boolean healthy(JsonObject task) {
    JsonArray results = task.getJsonArray("healthCheckResults", new JsonArray());
    for (int i = 0; i < results.size(); i++) {
      if (!results.getJsonObject(i).getBoolean("alive", false)) {
        return false;
      }
    }
    return true;
  }
}
