package dev.ferry.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.model.Kind;
import dev.ferry.controller.auth.Role;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every route the API server's router holds, enumerated from the router itself: each answers 401
 * without a token and 403 to a role too small, except the few listed as open. A route added
 * without a token check, or without a line in {@link #SMALLEST_ROLE}, fails here. (AuthTest holds
 * the hand-written cases with bodies; this is the completeness check.)
 */
class RouteTableTest {

  @RegisterExtension
  static final ApiFixture api = ApiFixture.withOwnEtcd();

  /** Answered without a bearer token, and why. */
  static final Map<String, String> OPEN = Map.of(
      "GET /healthz", "the liveness probe says only ok",
      "GET /readyz", "the readiness probe says only whether it is ready",
      "POST /hooks/gitsources/:name", "a git server signs the call with the GitSource's webhook secret (GitOpsTest)",
      "GET /ui", "redirects to the dashboard's page (DashboardTest)",
      "GET /ui/", "the dashboard's page, style sheet and script hold no data; their data calls need a token (DashboardTest)",
      "HEAD /ui/", "the same files' headers");

  /** The smallest role for each route with a token; object routes by kind ({@link Role#toWrite}). */
  static final Map<String, Role> SMALLEST_ROLE = new LinkedHashMap<>();

  static {
    SMALLEST_ROLE.put("GET /metrics", Role.METRICS);
    SMALLEST_ROLE.put("GET /version", Role.VIEW);
    SMALLEST_ROLE.put("GET /apis/ferry/v1/watch", Role.VIEW);
    SMALLEST_ROLE.put("GET /apis/ferry/v1/:plural", Role.VIEW);
    SMALLEST_ROLE.put("GET /apis/ferry/v1/:plural/:name", Role.VIEW);
    SMALLEST_ROLE.put("PUT /apis/ferry/v1/:plural/:name", Role.EDIT);
    SMALLEST_ROLE.put("DELETE /apis/ferry/v1/:plural/:name", Role.EDIT);
    SMALLEST_ROLE.put("POST /apis/ferry/v1/gitsources/:name/sync", Role.EDIT);
  }

  /** "METHOD template" of every route with a path, as the router holds it. */
  static Set<String> routes() {
    Set<String> out = new TreeSet<>();
    for (Route route : api.routes()) {
      if (route.getPath() == null) {
        continue; // the catch-alls: request counting, the 404 (which needs a token too) and failures
      }
      Set<HttpMethod> methods = route.methods() == null || route.methods().isEmpty() ? Set.of(HttpMethod.GET) : route.methods();
      methods.forEach(m -> out.add(m.name() + " " + route.getPath()));
    }
    return out;
  }

  /** The concrete requests for a route: one per kind for the object routes. */
  static List<String[]> requests(String route) {
    String method = route.substring(0, route.indexOf(' '));
    String template = route.substring(route.indexOf(' ') + 1);
    List<String[]> out = new ArrayList<>();
    if (template.contains(":plural")) {
      for (Kind<?, ?, ?> kind : Kind.ALL) {
        Role role = method.equals("GET") ? Role.VIEW : Role.toWrite(kind);
        out.add(new String[] {method, template.replace(":plural", kind.plural()).replace(":name", "x") + dryRun(method),
            role.name()});
      }
    } else {
      out.add(new String[] {method, template.replace(":name", "x") + (template.endsWith("/watch") ? "?kind=nodes" : ""),
          SMALLEST_ROLE.getOrDefault(route, Role.VIEW).name()});
    }
    return out;
  }

  private static String dryRun(String method) {
    return method.equals("GET") ? "" : "?dryRun=true";
  }

  @Test
  void theRouterHoldsOnlyRoutesThisTableKnows() {
    Set<String> known = new TreeSet<>(OPEN.keySet());
    known.addAll(SMALLEST_ROLE.keySet());

    assertThat(routes()).as("a new route needs a line in OPEN or SMALLEST_ROLE (and a token check)")
        .isSubsetOf(known).containsAll(SMALLEST_ROLE.keySet());
  }

  @Test
  void everyRouteButTheOpenOnesAnswers401WithoutAToken() {
    for (String route : routes()) {
      if (OPEN.containsKey(route)) {
        continue;
      }
      for (String[] r : requests(route)) {
        HttpResponse<String> none = api.send(r[0], r[1], null, r[0].equals("PUT") ? "{}" : null);
        HttpResponse<String> wrong = api.send(r[0], r[1], "not-a-token-of-ours", r[0].equals("PUT") ? "{}" : null);
        assertThat(none.statusCode()).as("%s %s without a token: %s", r[0], r[1], none.body()).isEqualTo(401);
        assertThat(wrong.statusCode()).as("%s %s with a token that is none of ours", r[0], r[1]).isEqualTo(401);
      }
    }
    assertThat(api.send("GET", "/no/such/route", null, null).statusCode()).as("the 404 needs a token too").isEqualTo(401);
  }

  @Test
  void everyRouteAnswers403ToARoleTooSmall() {
    Map<Role, String> tokens = Map.of(Role.METRICS, ApiFixture.METRICS, Role.VIEW, ApiFixture.VIEW,
        Role.EDIT, ApiFixture.EDIT, Role.ADMIN, ApiFixture.ADMIN);
    for (String route : routes()) {
      if (OPEN.containsKey(route)) {
        continue;
      }
      for (String[] r : requests(route)) {
        Role needed = Role.valueOf(r[2]);
        for (Role role : Role.values()) {
          if (role.includes(needed)) {
            continue;
          }
          HttpResponse<String> refused = api.send(r[0], r[1], tokens.get(role), r[0].equals("PUT") ? "{}" : null);
          assertThat(refused.statusCode()).as("%s %s as %s: %s", r[0], r[1], role, refused.body()).isEqualTo(403);
          assertThat(refused.body()).contains("\"reason\":\"Forbidden\"");
        }
      }
    }
  }

  @Test
  void theWatchSocketRefusesAnUpgradeWithoutATokenOrWithTooSmallARole() {
    for (String token : new String[] {null, ApiFixture.METRICS}) {
      WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
      if (token != null) {
        builder.header("Authorization", "Bearer " + token);
      }
      assertThatThrownBy(() -> builder.buildAsync(URI.create("ws://127.0.0.1:" + api.port()
          + "/apis/ferry/v1/watch?kind=nodes"), new WebSocket.Listener() { }).get(20, TimeUnit.SECONDS))
          .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> assertThat(e.getResponse().statusCode())
              .isEqualTo(token == null ? 401 : 403));
    }
  }
}
