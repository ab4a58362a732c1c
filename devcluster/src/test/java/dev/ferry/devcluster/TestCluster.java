package dev.ferry.devcluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.devcluster.marathon.ApiAccess;
import dev.ferry.devcluster.nodes.NodeSpec;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A devcluster on a free port with a temp state dir and fresh credentials, which {@link #call}
 * sends; {@link #close()} stops every task and removes the dir.
 */
final class TestCluster implements AutoCloseable {

  record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

  final MarathonCredentials credentials = new MarathonCredentials("ferry", UUID.randomUUID().toString());
  final Vertx vertx = Vertx.vertx();
  final Path stateDir;
  final Devcluster cluster;
  private final HttpClient http = HttpClient.newHttpClient();

  TestCluster(List<NodeSpec> nodes, boolean simulate) throws Exception {
    this(nodes, simulate, Files.createTempDirectory("devcluster-test"));
  }

  TestCluster(List<NodeSpec> nodes, boolean simulate, Path stateDir) throws Exception {
    this.stateDir = stateDir;
    try {
      cluster = Devcluster.start(vertx, new DevclusterConfig("127.0.0.1", 0, nodes, stateDir, simulate,
          ApiAccess.authenticated(credentials)))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      delete(stateDir);
      throw e;
    }
  }

  /** A JSON request with the cluster's credentials. */
  Answer call(String method, String path, String body) throws IOException, InterruptedException {
    return send(request(method, path, body).header("Content-Type", "application/json")
        .header("Authorization", credentials.authorization()));
  }

  /** A request with no headers but what the caller adds: as a stranger or a web page sends it. */
  HttpRequest.Builder request(String method, String path, String body) {
    return HttpRequest.newBuilder(URI.create(cluster.url() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
  }

  Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = response.body().isEmpty() ? Json.json().nullNode()
        : response.headers().firstValue("Content-Type").orElse("").contains("json")
            ? Json.json().readTree(response.body()) : Json.json().getNodeFactory().textNode(response.body());
    return new Answer(response.statusCode(), json, response);
  }

  /** Stops the cluster (and so every task); keeps the state dir, for a restart test. */
  void stopKeepingState() throws Exception {
    cluster.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    try {
      stopKeepingState();
    } finally {
      List<Long> left = processesUnder(stateDir);
      left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      delete(stateDir);
      if (!left.isEmpty()) {
        throw new AssertionError("processes outlived the cluster (now killed): " + left);
      }
    }
  }

  /** Processes whose sandbox lies under {@code dir}: tasks this cluster started. */
  static List<Long> processesUnder(Path dir) {
    String marker = "MESOS_SANDBOX=" + dir;
    return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> {
      try {
        String environ = new String(Files.readAllBytes(Path.of("/proc", pid.toString(), "environ")),
            java.nio.charset.StandardCharsets.UTF_8);
        return environ.contains(marker);
      } catch (IOException | SecurityException gone) {
        return false;
      }
    }).toList();
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
