package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.devcluster.apps.AppDefinition;
import dev.ferry.devcluster.apps.AppId;
import dev.ferry.devcluster.apps.Violation;
import dev.ferry.devcluster.scheduler.Deployment;
import dev.ferry.devcluster.scheduler.Scheduler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** {@code /v2/apps}: create, read, update, delete and restart apps ({@code AppsResource}). */
final class AppsRoutes {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String ID = "/v2/apps(?<id>/.+?)";

  private final Scheduler scheduler;

  AppsRoutes(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  void mount(Router router) {
    router.get("/v2/apps").handler(this::list);
    router.post("/v2/apps").handler(this::create);
    router.put("/v2/apps").handler(ctx -> updateMany(ctx, true));
    router.patch("/v2/apps").handler(ctx -> updateMany(ctx, false));
    router.postWithRegex(ID + "/restart/?").handler(this::restart);
    router.getWithRegex(ID + "/tasks/?").handler(this::tasks);
    // Before show: "versions" is a reserved id segment, never an app's last one.
    router.getWithRegex(ID + "/versions/(?<version>[^/]+)/?").handler(this::version);
    router.getWithRegex(ID + "/versions/?").handler(this::versions);
    router.getWithRegex(ID + "/?").handler(this::show);
    router.putWithRegex(ID + "/?").handler(ctx -> update(ctx, true));
    router.patchWithRegex(ID + "/?").handler(ctx -> update(ctx, false));
    router.deleteWithRegex(ID + "/?").handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    Set<AppJson.Embed> embeds = AppJson.embeds(ctx.queryParam("embed"));
    embeds.add(AppJson.Embed.COUNTS);
    embeds.add(AppJson.Embed.DEPLOYMENTS);
    String cmd = Optional.ofNullable(ctx.request().getParam("cmd")).orElse("").toLowerCase(Locale.ROOT);
    String id = Optional.ofNullable(ctx.request().getParam("id")).orElse("").toLowerCase(Locale.ROOT);
    Predicate<AppDefinition> labels = LabelSelector.parse(ctx.request().getParam("label"));
    ArrayNode apps = F.arrayNode();
    scheduler.apps().stream()
        .filter(a -> a.cmd().orElse("").toLowerCase(Locale.ROOT).contains(cmd))
        .filter(a -> a.id().path().contains(id))
        .filter(labels)
        .forEach(a -> apps.add(AppJson.of(a, scheduler, embeds)));
    Http.json(ctx, 200, F.objectNode().set("apps", apps));
  }

  private void create(RoutingContext ctx) {
    ObjectNode body = Http.object(ctx);
    AppRequests.typeCheck(body);
    AppId id = AppRequests.idOf(body);
    if (scheduler.app(id).isPresent()) {
      throw ApiError.of(409, "An app with id [" + id + "] already exists.");
    }
    Deployment deployment = scheduler.put(AppRequests.prepare(body, id, Optional.empty()), Http.flag(ctx, "force", false));
    AppDefinition app = scheduler.app(id).orElseThrow();
    scheduler.apiPosted(Http.clientIp(ctx), ctx.request().path(), app);
    ObjectNode json = AppJson.of(app, scheduler, Set.of(AppJson.Embed.COUNTS));
    // POST stores only a version (VersionInfo.OnlyVersion), so no versionInfo is written.
    json.remove("versionInfo");
    json.putArray("deployments").addObject().put("id", deployment.id());
    ctx.response().putHeader("Location", id.path()).putHeader(Http.DEPLOYMENT_HEADER, deployment.id());
    Http.json(ctx, 201, json);
  }

  private void show(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    Set<AppJson.Embed> embeds = AppJson.embeds(ctx.queryParam("embed"));
    embeds.addAll(Set.of(AppJson.Embed.COUNTS, AppJson.Embed.TASKS, AppJson.Embed.LAST_TASK_FAILURE, AppJson.Embed.DEPLOYMENTS));
    if (raw.endsWith("*")) {
      AppId group = AppId.of(raw.substring(0, raw.length() - 1));
      ArrayNode apps = F.arrayNode();
      scheduler.apps().stream().filter(a -> a.id().isIn(group)).forEach(a -> apps.add(AppJson.of(a, scheduler, embeds)));
      if (apps.isEmpty() && !group.path().equals("/")) {
        throw ApiError.notFound("Group '" + group + "' does not exist");
      }
      Http.json(ctx, 200, F.objectNode().set("*", apps));
      return;
    }
    AppDefinition app = existing(AppId.of(raw));
    Http.json(ctx, 200, F.objectNode().set("app", AppJson.of(app, scheduler, embeds)));
  }

  private void tasks(RoutingContext ctx) {
    AppDefinition app = existing(AppId.of(ctx.pathParam("id")));
    ArrayNode tasks = F.arrayNode();
    scheduler.tasksOf(app.id()).forEach(t -> tasks.add(TaskJson.of(t, scheduler)));
    Http.json(ctx, 200, F.objectNode().set("tasks", tasks));
  }

  /** {@code {"versions": [...]}}, newest first ({@code AppVersionsResource.index}). */
  private void versions(RoutingContext ctx) {
    AppDefinition app = existing(AppId.of(ctx.pathParam("id")));
    ArrayNode versions = F.arrayNode();
    scheduler.versions(app.id()).forEach(v -> versions.add(v.version()));
    Http.json(ctx, 200, F.objectNode().set("versions", versions));
  }

  /** The app definition at that version, unwrapped ({@code AppVersionsResource.show}). */
  private void version(RoutingContext ctx) {
    AppId id = existing(AppId.of(ctx.pathParam("id"))).id();
    String version = ctx.pathParam("version");
    AppDefinition app = scheduler.version(id, version)
        .orElseThrow(() -> ApiError.notFound("App '" + id + "' does not exist in version " + version));
    Http.json(ctx, 200, app.json());
  }

  private void update(RoutingContext ctx, boolean allowCreation) {
    AppId id = AppId.of(ctx.pathParam("id"));
    ObjectNode body = Http.object(ctx);
    Optional<AppDefinition> existing = scheduler.app(id);
    if (existing.isEmpty() && !allowCreation) {
      throw ApiError.notFound("App '" + id + "' does not exist");
    }
    boolean partial = !allowCreation || Http.flag(ctx, "partialUpdate", true);
    ObjectNode target = AppRequests.prepare(body, id, partial ? existing : Optional.empty());
    Deployment deployment = scheduler.put(target, Http.flag(ctx, "force", false));
    scheduler.apiPosted(Http.clientIp(ctx), ctx.request().path(), scheduler.app(id).orElseThrow());
    if (existing.isEmpty()) {
      ctx.response().putHeader("Location", id.path());
    }
    Http.deployment(ctx, existing.isEmpty() ? 201 : 200, deployment);
  }

  private void updateMany(RoutingContext ctx, boolean allowCreation) {
    JsonNode body = Http.body(ctx);
    if (!body.isArray()) {
      throw ApiError.invalidJson(List.of(Violation.at("", "error.expected.jsarray")));
    }
    boolean partial = !allowCreation || Http.flag(ctx, "partialUpdate", true);
    List<ObjectNode> targets = new ArrayList<>();
    for (JsonNode item : body) {
      if (!item.isObject()) {
        throw ApiError.invalidJson(List.of(Violation.at("", "error.expected.jsobject")));
      }
      AppId id = AppRequests.idOf((ObjectNode) item);
      Optional<AppDefinition> existing = scheduler.app(id);
      if (existing.isEmpty() && !allowCreation) {
        throw ApiError.notFound("App '" + id + "' does not exist");
      }
      targets.add(AppRequests.prepare((ObjectNode) item, id, partial ? existing : Optional.empty()));
    }
    boolean force = Http.flag(ctx, "force", false);
    // Marathon makes one deployment of the whole group change; devcluster reports the last of one per app.
    Deployment last = null;
    for (ObjectNode target : targets) {
      last = scheduler.put(target, force);
    }
    if (last == null) {
      throw ApiError.notValid(List.of(Violation.at("/", "no apps given")));
    }
    Http.deployment(ctx, 200, last);
  }

  private void delete(RoutingContext ctx) {
    AppId id = AppId.of(ctx.pathParam("id"));
    Deployment deployment = scheduler.delete(id, Http.flag(ctx, "force", true))
        .orElseThrow(() -> ApiError.notFound("App '" + id + "' does not exist"));
    Http.deployment(ctx, 200, deployment);
  }

  private void restart(RoutingContext ctx) {
    AppId id = AppId.of(ctx.pathParam("id"));
    Deployment deployment = scheduler.restart(id, Http.flag(ctx, "force", false))
        .orElseThrow(() -> ApiError.notFound("App '" + id + "' does not exist"));
    Http.deployment(ctx, 200, deployment);
  }

  private AppDefinition existing(AppId id) {
    return scheduler.app(id).orElseThrow(() -> ApiError.notFound("App '" + id + "' does not exist"));
  }
}
