package dev.ferry.controller.api;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The dashboard's files at {@code /ui/}: a page, its style sheet and its script, bundled in the
 * controller's jar under {@code dev/ferry/controller/dashboard/}. They hold no data, so they
 * need no token; everything they show comes from the API with the token the user signs in with
 * (see docs/dashboard.md).
 *
 * <p>The files are a fixed list read once into memory ({@link #load}, blocking: call it on a
 * worker), so no request path ever reaches the class path or the file system, and nothing is
 * unpacked to a cache directory. Every answer carries strict security headers: the page runs
 * only its own script and style sheet (no inline code), connects only to its own origin, cannot
 * be framed, and its content types are not sniffed.
 */
final class DashboardRoute implements Handler<RoutingContext> {

  static final String PATH = "/ui/";
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final String RESOURCES = "dev/ferry/controller/dashboard/";
  private static final Map<String, String> TYPES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "dashboard.css", "text/css; charset=utf-8",
      "dashboard.js", "text/javascript; charset=utf-8");

  private final Map<String, Buffer> files;

  private DashboardRoute(Map<String, Buffer> files) {
    this.files = Map.copyOf(files);
  }

  /**
   * Reads the dashboard's files from the class path.
   *
   * @throws IllegalStateException when the jar lacks one (a broken build)
   */
  static DashboardRoute load() {
    Map<String, Buffer> files = new HashMap<>();
    for (String name : TYPES.keySet()) {
      try (InputStream in = DashboardRoute.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
        if (in == null) {
          throw new IllegalStateException("the controller's jar lacks the dashboard file " + RESOURCES + name);
        }
        files.put(name, Buffer.buffer(in.readAllBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the dashboard file " + name, e);
      }
    }
    return new DashboardRoute(files);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = secure(ctx.response());
    String path = ctx.normalizedPath();
    if (path.equals("/ui")) {
      response.setStatusCode(301).putHeader(HttpHeaders.LOCATION, PATH).end();
      return;
    }
    String name = path.substring(PATH.length());
    name = name.isEmpty() ? "index.html" : name;
    Buffer file = files.get(name);
    if (file == null) {
      response.setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
          .end("no such dashboard file\n");
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, TYPES.get(name))
        // Small files that change with each build: the browser asks again, cheaply.
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(file.length())).end();
    } else {
      response.end(file);
    }
  }

  private static HttpServerResponse secure(HttpServerResponse response) {
    return response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin")
        .putHeader("Cross-Origin-Resource-Policy", "same-origin");
  }
}
