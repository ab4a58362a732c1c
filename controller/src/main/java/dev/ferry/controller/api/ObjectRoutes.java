package dev.ferry.controller.api;

import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.NotFoundException;
import dev.ferry.api.store.ListPage;
import dev.ferry.api.store.PageRequest;
import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.Names;
import dev.ferry.controller.admission.Admission;
import dev.ferry.controller.admission.Applied;
import dev.ferry.controller.admission.Applier;
import dev.ferry.controller.admission.ApplyOutcome;
import dev.ferry.controller.admission.DeleteOutcome;
import dev.ferry.controller.admission.Deleter;
import dev.ferry.controller.auth.Role;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code /apis/ferry/v1/<plural>[/<name>]}: get, list, apply (PUT) and delete. See
 * {@link ApiServer} for the contract.
 */
final class ObjectRoutes {

  /** Response header saying what a write did: created, configured, unchanged, deleted, deleting. */
  static final String OUTCOME = "Ferry-Outcome";
  static final String DRY_RUN = "Ferry-Dry-Run";

  private final EtcdStore store;
  private final Admission admission;
  private final Applier applier;
  private final Deleter deleter;
  private final int maxListPage;

  ObjectRoutes(EtcdStore store, ApiServerOptions options) {
    this.store = store;
    this.admission = new Admission(options.allowFileGitUrls());
    this.applier = new Applier(store, options.quotas());
    this.maxListPage = options.maxListPage();
    this.deleter = new Deleter(store);
  }

  void get(RoutingContext ctx) {
    kind(ctx).ifPresent(kind -> name(ctx).ifPresent(name ->
        reply(ctx, store.get(kind, name), found -> Responses.json(ctx, 200,
            found.orElseThrow(() -> new NotFoundException(kind.name(), name))))));
  }

  /**
   * One page of a list: at most {@code ?limit=} objects (the server's {@code maxListPage} when
   * none is given, or a larger one asked), from where {@code ?continue=} says, all pages at the
   * revision of the first. The answer's {@code metadata.continue} is there while more remain.
   */
  void list(RoutingContext ctx) {
    kind(ctx).ifPresent(kind -> selector(ctx).ifPresent(selector -> page(ctx, kind).ifPresent(request ->
        reply(ctx, store.listPage(kind, selector, request), page -> Responses.json(ctx, 200, ListBody.of(kind, page))))));
  }

  /** The page {@code ?limit=} and {@code ?continue=} ask for, or a 400 naming the one that is wrong. */
  private Optional<PageRequest> page(RoutingContext ctx, Kind<?, ?, ?> kind) {
    String limitText = ctx.request().getParam("limit");
    int limit = maxListPage;
    if (limitText != null) {
      try {
        long asked = Long.parseLong(limitText);
        if (asked < 1) {
          throw new NumberFormatException();
        }
        // As Kubernetes: a server may answer fewer than asked, with a continue token.
        limit = (int) Math.min(asked, maxListPage);
      } catch (NumberFormatException e) {
        Responses.error(ctx, ApiError.badRequest("limit must be a whole number of objects, 1 or more (the server"
            + " answers at most " + maxListPage + " a page), not '" + abbreviate(limitText) + "'"));
        return Optional.empty();
      }
    }
    String token = ctx.request().getParam("continue");
    if (token == null) {
      return Optional.of(PageRequest.first(limit));
    }
    try {
      ContinueToken from = ContinueToken.decode(token, kind);
      return Optional.of(new PageRequest(limit, from.revision(), Optional.of(from.after())));
    } catch (IllegalArgumentException e) {
      Responses.error(ctx, ApiError.badRequest(e.getMessage()));
      return Optional.empty();
    }
  }

  /** A parameter as an error may repeat it: not a megabyte of it. */
  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  void apply(RoutingContext ctx) {
    kind(ctx).ifPresent(kind -> name(ctx).ifPresent(name -> dryRun(ctx).ifPresent(dryRun -> {
      if (!BearerAuth.require(ctx, Role.toWrite(kind), "write " + kind.plural())) {
        return;
      }
      boolean admin = BearerAuth.principal(ctx).role().includes(Role.ADMIN);
      String body = ctx.body().asString();
      // Parsing and validating up to 1 MiB of YAML is CPU work that must not hold the event loop.
      CompletableFuture<Applied> result = ctx.vertx()
          .executeBlocking(() -> admission.readOne(body, kind, name), false)
          .toCompletionStage().toCompletableFuture()
          .thenCompose(desired -> admin ? applier.applyAsAdmin(desired, dryRun) : applier.apply(desired, dryRun));
      reply(ctx, result, applied -> {
        ctx.response().putHeader(OUTCOME, applied.outcome().word());
        ctx.response().putHeader(DRY_RUN, Boolean.toString(dryRun));
        Responses.json(ctx, applied.outcome() == ApplyOutcome.CREATED ? 201 : 200,
            applied.object());
      });
    })));
  }

  void delete(RoutingContext ctx) {
    kind(ctx).ifPresent(kind -> name(ctx).ifPresent(name -> dryRun(ctx).ifPresent(dryRun ->
        resourceVersion(ctx).ifPresent(version -> {
          if (!BearerAuth.require(ctx, Role.toWrite(kind), "delete " + kind.plural())) {
            return;
          }
          reply(ctx, deleter.delete(kind, name, version, dryRun), deleted -> {
            ctx.response().putHeader(OUTCOME, deleted.outcome().word());
            ctx.response().putHeader(DRY_RUN, Boolean.toString(dryRun));
            Responses.json(ctx, deleted.outcome() == DeleteOutcome.DELETED ? 200 : 202,
                deleted.object());
          });
        }))));
  }

  /** Completes on the request's event loop, whatever thread the store completes on. */
  static <T> void reply(RoutingContext ctx, CompletableFuture<T> result, Consumer<T> onSuccess) {
    Future.fromCompletionStage(result, ctx.vertx().getOrCreateContext()).onComplete(ar -> {
      if (ar.failed()) {
        Responses.fail(ctx, ar.cause());
        return;
      }
      try {
        onSuccess.accept(ar.result());
      } catch (RuntimeException e) {
        Responses.fail(ctx, e);
      }
    });
  }

  static Optional<Kind<?, ?, ?>> kind(RoutingContext ctx) {
    String plural = ctx.pathParam("plural");
    Optional<Kind<?, ?, ?>> kind = Kind.ALL.stream().filter(k -> k.plural().equals(plural)).findFirst();
    if (kind.isEmpty()) {
      Responses.error(ctx, ApiError.notFound("no kind '" + plural + "': the API serves "
          + String.join(", ", Kind.ALL.stream().map(Kind::plural).toList())));
    }
    return kind;
  }

  private static Optional<String> name(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Optional<String> problem = Names.checkDnsLabel(name);
    problem.ifPresent(p -> Responses.error(ctx, new ApiError(400, "BadRequest", "invalid object name: " + p,
        List.of(new FieldError("metadata.name", p)))));
    return problem.isPresent() ? Optional.empty() : Optional.of(name);
  }

  static Optional<LabelSelector> selector(RoutingContext ctx) {
    String text = Optional.ofNullable(ctx.request().getParam("labelSelector")).orElse("");
    try {
      return Optional.of(LabelSelector.parse(text));
    } catch (IllegalArgumentException e) {
      Responses.error(ctx, ApiError.badRequest(e.getMessage()));
      return Optional.empty();
    }
  }

  private static Optional<Boolean> dryRun(RoutingContext ctx) {
    String value = Optional.ofNullable(ctx.request().getParam("dryRun")).orElse("false");
    if (!value.equals("true") && !value.equals("false")) {
      Responses.error(ctx, ApiError.badRequest("dryRun must be true or false, not '" + value + "'"));
      return Optional.empty();
    }
    return Optional.of(Boolean.parseBoolean(value));
  }

  static Optional<Long> resourceVersion(RoutingContext ctx) {
    String value = Optional.ofNullable(ctx.request().getParam("resourceVersion")).orElse("0");
    try {
      long version = Long.parseLong(value);
      if (version >= 0) {
        return Optional.of(version);
      }
    } catch (NumberFormatException e) {
      // Not a number: the same answer as a negative one.
    }
    Responses.error(ctx, ApiError.badRequest("resourceVersion must be a revision number, not '" + value + "'"));
    return Optional.empty();
  }

  /**
   * A page of a list as the API answers it: the revision to watch from (the same on every page
   * of one list), {@code continue} while more remain, and {@code remainingItemCount} when known.
   */
  record ListBody(String apiVersion, String kind, Map<String, Object> metadata, List<?> items) {
    static ListBody of(Kind<?, ?, ?> kind, ListPage<?> page) {
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("resourceVersion", page.revision());
      page.continueAfter().ifPresent(after ->
          metadata.put("continue", new ContinueToken(kind.plural(), page.revision(), after).encode()));
      page.remainingItemCount().ifPresent(n -> metadata.put("remainingItemCount", n));
      return new ListBody(FerryObject.API_VERSION, kind.name() + "List", metadata, page.items());
    }
  }
}
