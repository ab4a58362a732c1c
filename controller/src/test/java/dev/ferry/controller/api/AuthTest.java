package dev.ferry.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every route, with no token, a wrong token and each role. */
class AuthTest {

  @RegisterExtension
  static final ApiFixture api = ApiFixture.withOwnEtcd();

  static final String GIT = """
      apiVersion: ferry/v1
      kind: GitSource
      metadata: {name: cfg}
      spec: {url: "file:///nowhere.git"}
      """;
  static final String NODE = """
      apiVersion: ferry/v1
      kind: Node
      metadata: {name: node9}
      spec: {hostname: node9, address: 127.0.1.9, pool: tank}
      """;

  /** method, path, body, the smallest role that may do it. */
  static Stream<Arguments> routes() {
    return Stream.of(
        Arguments.of("GET", "/metrics", null, "metrics"),
        Arguments.of("GET", "/version", null, "view"),
        Arguments.of("GET", "/apis/ferry/v1/gitsources", null, "view"),
        Arguments.of("GET", "/apis/ferry/v1/gitsources/cfg", null, "view"),
        Arguments.of("GET", "/apis/ferry/v1/watch?kind=gitsources", null, "view"),
        Arguments.of("PUT", "/apis/ferry/v1/gitsources/cfg?dryRun=true", GIT, "edit"),
        Arguments.of("DELETE", "/apis/ferry/v1/gitsources/cfg?dryRun=true", null, "edit"),
        Arguments.of("POST", "/apis/ferry/v1/gitsources/cfg/sync", "", "edit"),
        Arguments.of("PUT", "/apis/ferry/v1/nodes/node9?dryRun=true", NODE, "admin"),
        Arguments.of("DELETE", "/apis/ferry/v1/nodes/node9?dryRun=true", null, "admin"),
        Arguments.of("GET", "/no/such/thing", null, "view"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("routes")
  void everyRouteButHealthzNeedsAValidToken(String method, String path, String body, String role) {
    HttpResponse<String> none = api.send(method, path, null, body);
    HttpResponse<String> wrong = api.send(method, path, "not-a-token-of-ours-at-all", body);

    assertThat(none.statusCode()).as(none.body()).isEqualTo(401);
    assertThat(none.body()).contains("\"reason\":\"Unauthorized\"");
    assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(wrong.statusCode()).isEqualTo(401);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("routes")
  void aRoleTooSmallIsForbidden(String method, String path, String body, String role) {
    api.put("/apis/ferry/v1/gitsources/cfg", GIT);
    api.put("/apis/ferry/v1/nodes/node9", NODE);
    for (String token : switch (role) {
      case "admin" -> new String[] {ApiFixture.METRICS, ApiFixture.VIEW, ApiFixture.EDIT};
      case "edit" -> new String[] {ApiFixture.METRICS, ApiFixture.VIEW};
      case "view" -> new String[] {ApiFixture.METRICS};
      default -> new String[] {};
    }) {
      HttpResponse<String> refused = api.send(method, path, token, body);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
      // A metrics token is stopped before any route's own check: it lacks view, which every other route needs.
      String lacking = token.equals(ApiFixture.METRICS) ? "view" : role;
      assertThat(refused.body()).contains("\"reason\":\"Forbidden\"").contains("needs role " + lacking);
    }
    String enough = switch (role) {
      case "admin" -> ApiFixture.ADMIN;
      case "edit" -> ApiFixture.EDIT;
      case "view" -> ApiFixture.VIEW;
      default -> ApiFixture.METRICS;
    };
    assertThat(api.send(method, path, enough, body).statusCode()).isNotIn(401, 403);
  }

  @Test
  void healthzIsOpen() {
    assertThat(api.send("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void readyzIsOpenAndSaysOnlyWhetherReady() {
    HttpResponse<String> ready = api.send("GET", "/readyz", null, null);

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}");
  }

  @Test
  void aMetricsTokenScrapesAndReadsNothingElse() {
    HttpResponse<String> scrape = api.send("GET", "/metrics", ApiFixture.METRICS, null);
    HttpResponse<String> list = api.send("GET", "/apis/ferry/v1/nodes", ApiFixture.METRICS, null);

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body()).contains("# TYPE ferry_api_requests_total counter");
    assertThat(list.statusCode()).isEqualTo(403);
    assertThat(list.body()).contains("user prometheus (role metrics)").contains("needs role view");
  }
}
