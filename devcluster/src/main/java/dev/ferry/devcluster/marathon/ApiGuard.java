package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * The first handler of every request, before its body is read. In this order, it refuses:
 *
 * <ol>
 *   <li>a {@code Host} that is not one of {@link AllowedHosts} with 421: a page that rebinds its
 *       name to this machine gets nothing, not even the authentication challenge;
 *   <li>a request without the configured credentials with 401 (but for the Mesos master's
 *       read-only {@link #MESOS_READ_ONLY} endpoints, which Mesos serves without authentication
 *       unless {@code --authenticate_http_readonly}) and
 *       {@code WWW-Authenticate: Basic realm="..."}, as Marathon's Jetty {@code BasicAuthenticator}
 *       does under {@code --http_credentials}, with the body of the RAML's {@code secured} trait;
 *   <li>a POST, PUT or PATCH with a body that is not {@code application/json} with 415
 *       {@code {"message":"Unsupported Media Type"}}, as Marathon's Jersey resources
 *       ({@code @Consumes(APPLICATION_JSON)}) do. A web page can send a {@code text/plain} POST to
 *       any address without asking first (no CORS preflight); it cannot send JSON.
 * </ol>
 */
final class ApiGuard implements Handler<RoutingContext> {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);
  static final Set<String> MESOS_READ_ONLY = Set.of("/master/slaves", "/slaves");

  private final ApiAccess access;
  private final AllowedHosts hosts;

  ApiGuard(ApiAccess access, AllowedHosts hosts) {
    this.access = access;
    this.hosts = hosts;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HostAndPort authority = request.authority();
    if (authority == null || !hosts.allows(authority.host())) {
      String named = authority == null ? "no Host header" : "Host '" + clip(authority.host()) + "'";
      refuse(ctx, 421, "devcluster does not serve " + named + "; it answers to " + hosts
          + " (add a name with --server-name)");
      return;
    }
    boolean mesosRead = request.method() == HttpMethod.GET && MESOS_READ_ONLY.contains(request.path());
    if (access.credentials().isPresent() && !mesosRead
        && !access.credentials().get().matches(request.getHeader("Authorization"))) {
      ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"" + access.realm() + "\"");
      refuse(ctx, 401, "Invalid username or password.");
      return;
    }
    if (WRITES.contains(request.method()) && hasBody(request) && !isJson(request.getHeader("Content-Type"))) {
      refuse(ctx, 415, "Unsupported Media Type");
      return;
    }
    ctx.next();
  }

  private static void refuse(RoutingContext ctx, int status, String message) {
    // The body is not read: the connection cannot be reused for another request.
    ctx.response().putHeader("Connection", "close");
    Http.json(ctx, status, F.objectNode().put("message", message));
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    return request.getHeader("Transfer-Encoding") != null || (length != null && !length.strip().equals("0"));
  }

  /** {@code application/json}, with parameters such as {@code charset} or without. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    return type.equals("application/json");
  }

  private static String clip(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }
}
