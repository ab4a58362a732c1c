package dev.ferry.controller.api;

import dev.ferry.api.model.GitSource;
import dev.ferry.api.model.Kind;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.validation.Names;
import dev.ferry.controller.gitops.GitSyncTrigger;
import dev.ferry.controller.gitops.WebhookSignature;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /hooks/gitsources/<name>}: what a git server calls on a push, without a bearer
 * token. It answers 202 and asks GitOps for a sync of the GitSource that writes (the body is
 * never read for content: the sync fetches from the GitSource's own URL) only when the call is
 * signed with the webhook secret of the GitSource's {@code secretRef} ({@link WebhookSignature}).
 * Otherwise 401, the same answer whether the GitSource is missing, has no webhook secret, or the
 * signature does not match, so that the route tells an outsider nothing; the log says which. A
 * controller that is not running GitOps answers 503, so the git server shows a failed delivery.
 * The body is capped as every API body is (registered with the API's body limit).
 */
final class GitWebhookRoute implements Handler<RoutingContext> {

  static final String PATH = "/hooks/gitsources/:name";
  private static final Logger LOG = LoggerFactory.getLogger(GitWebhookRoute.class);
  private static final String REFUSED =
      "the webhook is not signed with this GitSource's webhook secret (" + WebhookSignature.GITHUB + " or "
          + WebhookSignature.GITLAB + ")";

  private final EtcdStore store;
  private final GitSyncTrigger gitSync;

  GitWebhookRoute(EtcdStore store, GitSyncTrigger gitSync) {
    this.store = store;
    this.gitSync = gitSync;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (!gitSync.running()) {
      Responses.error(ctx, ApiError.of(503, "Unavailable", "GitOps is not running on this controller"));
      return;
    }
    if (Names.checkDnsLabel(name).isPresent()) {
      // Not a GitSource name: refused before any read, and never logged (it may hold line breaks).
      Responses.error(ctx, ApiError.unauthorized(REFUSED));
      return;
    }
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    var headers = ctx.request().headers();
    Future.fromCompletionStage(store.get(Kind.GIT_SOURCE, name), ctx.vertx().getOrCreateContext())
        // The secret is a file: read off the event loop.
        .compose(found -> ctx.vertx().executeBlocking(() -> verify(found, headers::get, body)))
        .onSuccess(problem -> {
          if (problem.isPresent()) {
            LOG.info("webhook for GitSource {} refused: {}", name, problem.get());
            Responses.error(ctx, ApiError.unauthorized(REFUSED));
            return;
          }
          Future.fromCompletionStage(gitSync.requestSync(name), ctx.vertx().getOrCreateContext())
              .onSuccess(v -> Responses.json(ctx, 202, Map.of("gitsource", name, "status", "sync requested")))
              .onFailure(e -> Responses.fail(ctx, e));
        })
        .onFailure(e -> Responses.fail(ctx, e));
  }

  private Optional<String> verify(Optional<GitSource> found, java.util.function.Function<String, String> header,
      byte[] body) {
    if (found.isEmpty()) {
      return Optional.of("no such GitSource");
    }
    Optional<String> secret = gitSync.webhookSecret(found.get().spec().secretRef());
    if (secret.isEmpty()) {
      return Optional.of("it has no webhook-secret in spec.secretRef");
    }
    return WebhookSignature.problem(secret.get(), header, body);
  }
}
