package dev.ferry.controller.api;

import dev.ferry.controller.auth.Principal;
import dev.ferry.controller.auth.Role;
import dev.ferry.controller.auth.Tokens;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Authenticates every request but the probes ({@code /healthz}, {@code /readyz}):
 * {@code Authorization: Bearer <token>} must name a token of the tokens file (else 401) whose
 * role includes this handler's least role (else 403: a {@code metrics} token only scrapes).
 * {@link #require} then checks a larger role where a route needs one (else 403).
 *
 * <p>A browser cannot set a header on a WebSocket, so a WebSocket upgrade without that header
 * may carry the token as one of its offered subprotocols instead:
 * {@code Sec-WebSocket-Protocol: ferry.v1, ferry.bearer.<base64url of the token, no padding>}.
 * The server only ever answers {@link #SUBPROTOCOL}, so the token is not echoed back, and a
 * header keeps it out of URLs, browser history and access logs. A token is never read from a
 * query string.
 */
final class BearerAuth implements Handler<RoutingContext> {

  private static final String PRINCIPAL = "ferry.principal";
  private static final String FINGERPRINT = "ferry.token";
  private static final String PREFIX = "Bearer ";
  /** The subprotocol a browser's watch asks for beside its token; the one the server answers. */
  static final String SUBPROTOCOL = "ferry.v1";
  /** Prefix of the subprotocol that carries a WebSocket's token. */
  static final String TOKEN_SUBPROTOCOL = "ferry.bearer.";

  private final Supplier<Tokens> tokens;
  private final Role least;

  /**
   * A check that lets through any token whose role includes {@code least}.
   *
   * @param tokens the tokens valid now: asked at every request, so a reload takes effect at once
   */
  BearerAuth(Supplier<Tokens> tokens, Role least) {
    this.tokens = tokens;
    this.least = least;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (authenticate(ctx)) {
      ctx.next();
    }
  }

  /**
   * This check, then {@code next} in the same handler. For a body: Vert.x Web runs body handlers
   * before any other, so a route's own BodyHandler would read up to the whole limit from anyone;
   * chained here, only a caller with a valid token gets its body read.
   */
  Handler<RoutingContext> then(Handler<RoutingContext> next) {
    return ctx -> {
      if (authenticate(ctx)) {
        next.handle(ctx);
      }
    };
  }

  /** The principal of a request this handler let through. */
  static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  /** The fingerprint ({@link Tokens#fingerprint}) of the token of a request this handler let through. */
  static String fingerprint(RoutingContext ctx) {
    return ctx.get(FINGERPRINT);
  }

  /** Whether the token with {@code fingerprint} still belongs to {@code principal}. */
  boolean stillValid(String fingerprint, Principal principal) {
    return tokens.get().byFingerprint(fingerprint).equals(Optional.of(principal));
  }

  private boolean authenticate(RoutingContext ctx) {
    Optional<String> token = bearerHeader(ctx).or(() -> subprotocolToken(ctx));
    if (token.isEmpty()) {
      unauthorized(ctx, "this endpoint needs a bearer token: send 'Authorization: Bearer <token>'"
          + " (ferryctl: --token, FERRY_TOKEN or a context)");
      return false;
    }
    String fingerprint = Tokens.fingerprint(token.get());
    Optional<Principal> principal = tokens.get().byFingerprint(fingerprint);
    if (principal.isEmpty()) {
      unauthorized(ctx, "the bearer token is not valid");
      return false;
    }
    ctx.put(PRINCIPAL, principal.get());
    ctx.put(FINGERPRINT, fingerprint);
    return require(ctx, least, ctx.request().method() + " " + ctx.request().path());
  }

  private static Optional<String> bearerHeader(RoutingContext ctx) {
    return Optional.ofNullable(ctx.request().getHeader("Authorization"))
        .filter(h -> h.regionMatches(true, 0, PREFIX, 0, PREFIX.length()))
        .map(h -> h.substring(PREFIX.length()).strip());
  }

  /**
   * The token a WebSocket upgrade offers as a subprotocol. Anything unreadable counts as no
   * token (a 401), never as an error that would quote it.
   */
  private static Optional<String> subprotocolToken(RoutingContext ctx) {
    String upgrade = Optional.ofNullable(ctx.request().getHeader("Upgrade")).orElse("");
    if (!upgrade.equalsIgnoreCase("websocket")) {
      return Optional.empty();
    }
    for (String offered : ctx.request().headers().getAll("Sec-WebSocket-Protocol")) {
      for (String protocol : offered.split(",")) {
        String p = protocol.strip();
        if (p.startsWith(TOKEN_SUBPROTOCOL)) {
          try {
            String token = new String(Base64.getUrlDecoder().decode(p.substring(TOKEN_SUBPROTOCOL.length())),
                StandardCharsets.UTF_8);
            return token.isBlank() ? Optional.empty() : Optional.of(token.strip());
          } catch (IllegalArgumentException e) {
            return Optional.empty();
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the request's principal has {@code role}; if not, answers 403 and returns false.
   * Only called behind this handler, so the principal is there.
   */
  static boolean require(RoutingContext ctx, Role role, String action) {
    Principal principal = ctx.get(PRINCIPAL);
    if (principal.role().includes(role)) {
      return true;
    }
    Responses.error(ctx, ApiError.forbidden("user " + principal.user() + " (role " + principal.role().word()
        + ") may not " + action + ": that needs role " + role.word()));
    return false;
  }

  private static void unauthorized(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"ferry\"");
    // The body, if any, is never read: close the connection after the answer rather than drain it.
    ctx.response().putHeader("Connection", "close");
    Responses.error(ctx, ApiError.unauthorized(message));
  }
}
