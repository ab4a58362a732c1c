package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.devcluster.apps.AppDefinition;
import dev.ferry.devcluster.apps.AppId;
import dev.ferry.devcluster.scheduler.Scheduler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /v2/groups} and {@code /v2/groups/{id}}: the group tree as {@code GroupInfo}
 * (raml/v2/types/group.raml). devcluster stores apps only, so its groups are the ones their ids
 * imply: {@code /a/b/app} lies in {@code /a/b}, which lies in {@code /a}, which lies in the root.
 * Without {@code embed} a group shows its apps and child groups, as in Marathon; with it, only
 * what is named ({@code group.groups}, {@code group.apps}, {@code group.apps.tasks}, ...).
 */
final class GroupsRoutes {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Scheduler scheduler;

  GroupsRoutes(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  void mount(Router router) {
    router.get("/v2/groups").handler(ctx -> show(ctx, AppId.of("/")));
    router.getWithRegex("/v2/groups(?<id>/.*?)/?").handler(ctx -> show(ctx, AppId.of(ctx.pathParam("id"))));
  }

  private void show(RoutingContext ctx, AppId group) {
    List<AppDefinition> apps = scheduler.apps().stream().filter(a -> a.id().isIn(group)).toList();
    if (apps.isEmpty() && !group.path().equals("/")) {
      throw ApiError.notFound("Group '" + group + "' does not exist");
    }
    List<String> embed = ctx.queryParam("embed");
    boolean groups = embed.isEmpty() || embed.contains("group.groups");
    boolean withApps = embed.isEmpty() || embed.stream().anyMatch(e -> e.startsWith("group.apps"));
    Http.json(ctx, 200, group(group, apps, groups, withApps, AppJson.embeds(embed)));
  }

  private ObjectNode group(AppId id, List<AppDefinition> inside, boolean groups, boolean withApps,
      Set<AppJson.Embed> embeds) {
    ObjectNode json = F.objectNode().put("id", id.path());
    ArrayNode apps = json.putArray("apps");
    if (withApps) {
      inside.stream().filter(a -> parent(a.id()).equals(id.path()))
          .forEach(a -> apps.add(AppJson.of(a, scheduler, embeds)));
    }
    json.putArray("pods");
    ArrayNode children = json.putArray("groups");
    if (groups) {
      Set<String> childIds = new TreeSet<>();
      inside.forEach(a -> child(id.path(), a.id().path()).ifPresent(childIds::add));
      for (String child : childIds) {
        AppId childId = AppId.of(child);
        children.add(group(childId, inside.stream().filter(a -> a.id().isIn(childId)).toList(), true, withApps, embeds));
      }
    }
    json.putArray("dependencies");
    // A group changes when one of its apps does: its version is its newest app's.
    inside.stream().map(AppDefinition::version).max(String::compareTo).ifPresent(v -> json.put("version", v));
    json.put("enforceRole", false);
    return json;
  }

  /** The group that holds the app: {@code /a/b} for {@code /a/b/app}, the root for {@code /app}. */
  private static String parent(AppId app) {
    String path = app.path();
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** The child group of {@code group} on the way to {@code app}, if the app is not directly in it. */
  private static java.util.Optional<String> child(String group, String app) {
    String prefix = group.equals("/") ? "/" : group + "/";
    String rest = app.substring(prefix.length());
    int slash = rest.indexOf('/');
    return slash < 0 ? java.util.Optional.empty() : java.util.Optional.of(prefix + rest.substring(0, slash));
  }
}
