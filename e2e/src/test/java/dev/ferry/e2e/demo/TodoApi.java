package dev.ferry.e2e.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The TodoMVC app's Todo-Backend API, as a test calls it. */
final class TodoApi {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private TodoApi() {}

  /** Whether the app at HOST:PORT lists its todos (so it reached its database). */
  static boolean answers(String address) {
    try {
      return send("GET", "http://" + address + "/todos", "", Duration.ofSeconds(5)).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  static void add(String app, String title) throws IOException {
    String body = Json.json().writeValueAsString(Map.of("title", title));
    HttpResponse<String> created = send("POST", app + "/todos", body, Duration.ofMinutes(2));
    if (created.statusCode() != 201) {
      throw new IOException("POST /todos answered " + created.statusCode() + ": " + created.body());
    }
  }

  static List<String> titles(String app) throws IOException {
    HttpResponse<String> listed = send("GET", app + "/todos", "", Duration.ofMinutes(2));
    if (listed.statusCode() != 200) {
      throw new IOException("GET /todos answered " + listed.statusCode() + ": " + listed.body());
    }
    List<String> titles = new ArrayList<>();
    for (JsonNode todo : Json.json().readTree(listed.body())) {
      titles.add(todo.path("title").asText());
    }
    return titles;
  }

  private static HttpResponse<String> send(String method, String url, String body, Duration timeout) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Content-Type", "application/json")
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
