package dev.ferry.example.todo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.api.process.FreePort;
import dev.ferry.api.process.ManagedProcess;
import dev.ferry.example.ExampleConfig;
import dev.ferry.example.TodoMainHarness;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Todo-Backend API over a real redis-server, found through a stand-in for Marathon's
 * {@code /v2/apps/{id}/tasks}; the database is moved by stopping it and starting another
 * redis-server on the same data at another port, as Ferry does on another node.
 */
class TodoApiTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final AtomicReference<String> tasks = new AtomicReference<>("{\"tasks\":[]}");
  private ManagedProcess redis;
  private String base;

  @BeforeEach
  void start() throws Exception {
    redis = redis(FreePort.pick());
    // Like devcluster under ./ferry up, the stand-in wants basic credentials.
    MarathonCredentials credentials = new MarathonCredentials("ferry", "todo-test");
    HttpServer marathon = vertx.createHttpServer()
        .requestHandler(r -> {
          if (!credentials.matches(r.getHeader("Authorization"))) {
            r.response().setStatusCode(401).end("{\"message\":\"Invalid username or password.\"}");
            return;
          }
          r.response().putHeader("Content-Type", "application/json").end(tasks.get());
        })
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    int port = FreePort.pick();
    ExampleConfig config = new ExampleConfig("127.0.0.1", port, URI.create("http://127.0.0.1:" + marathon.actualPort()),
        Optional.of(credentials), "/todos-db", Duration.ofSeconds(30));
    TodoMainHarness.deploy(vertx, config).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + port;
  }

  @AfterEach
  void stop() throws Exception {
    redis.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void keepsTodosInRedisThroughTheWholeApi() throws Exception {
    HttpResponse<String> created = send("POST", "/todos", "{\"title\":\"walk the dog\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject todo = new JsonObject(created.body());
    assertThat(todo.getString("title")).isEqualTo("walk the dog");
    assertThat(todo.getBoolean("completed")).isFalse();
    assertThat(todo.getString("url")).isEqualTo(base + "/todos/" + todo.getLong("id"));
    assertThat(created.headers().firstValue("Access-Control-Allow-Origin")).contains("*");

    HttpResponse<String> patched = send("PATCH", "/todos/" + todo.getLong("id"), "{\"completed\":true,\"order\":7}");
    assertThat(new JsonObject(patched.body()).getBoolean("completed")).isTrue();
    assertThat(new JsonObject(send("GET", "/todos/" + todo.getLong("id"), "").body()).getLong("order")).isEqualTo(7);
    send("POST", "/todos", "{\"title\":\"second\",\"order\":1}");
    assertThat(titles()).containsExactly("second", "walk the dog");

    assertThat(send("DELETE", "/todos/" + todo.getLong("id"), "").statusCode()).isEqualTo(204);
    assertThat(send("GET", "/todos/" + todo.getLong("id"), "").statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/todos", "").statusCode()).isEqualTo(204);
    assertThat(titles()).isEmpty();
  }

  @Test
  void refusesBadRequestsWithTheReason() throws Exception {
    assertThat(send("POST", "/todos", "{}").body()).contains("title is required");
    assertThat(send("POST", "/todos", "[1]").statusCode()).isEqualTo(400);
    assertThat(send("POST", "/todos", "{\"title\":\"x\",\"completed\":\"yes\"}").body()).contains("completed must be true or false");
    assertThat(send("OPTIONS", "/todos", "").statusCode()).isEqualTo(204);
    assertThat(send("GET", "/todos/abc", "").statusCode()).isEqualTo(404);
  }

  @Test
  void followsTheDatabaseToItsNewAddressAndAnswersOnlyOnceItIsWritten() throws Exception {
    send("POST", "/todos", "{\"title\":\"before the move\"}");

    redis.stop(Duration.ofSeconds(10));
    tasks.set("{\"tasks\":[]}");
    CompletableFuture<HttpResponse<String>> during = sendAsync("POST", "/todos", "{\"title\":\"during the move\"}");
    Thread.sleep(1_000);
    assertThat(during).as("no answer while the database is away").isNotDone();

    redis = redis(FreePort.pick());
    HttpResponse<String> answered = during.get(30, TimeUnit.SECONDS);

    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(201);
    assertThat(titles()).containsExactly("before the move", "during the move");
  }

  private ManagedProcess redis(int port) {
    ManagedProcess started = ManagedProcess.start("redis-server", List.of("redis-server", "--port", Integer.toString(port),
            "--bind", "127.0.0.1", "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", ""),
        Map.of(), dir.resolve("redis-" + port + ".log")).awaitPort("127.0.0.1", port, Duration.ofSeconds(20));
    tasks.set(new JsonObject().put("tasks", new JsonArray().add(new JsonObject().put("host", "127.0.0.1")
        .put("ports", new JsonArray().add(port)).put("state", "TASK_RUNNING"))).encode());
    return started;
  }

  private List<String> titles() throws Exception {
    JsonArray todos = new JsonArray(send("GET", "/todos", "").body());
    return todos.stream().map(t -> ((JsonObject) t).getString("title")).toList();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return sendAsync(method, path, body).get(60, TimeUnit.SECONDS);
  }

  private CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }
}
