package dev.ferry.devcluster.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.devcluster.apps.AppDefinition;
import dev.ferry.devcluster.apps.AppId;
import dev.ferry.devcluster.tasks.RunningTask;
import dev.ferry.devcluster.tasks.Task;
import dev.ferry.devcluster.tasks.TaskRunner;
import dev.ferry.devcluster.tasks.TaskState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Keeps the scheduler's apps and tasks in {@code <state dir>/state.json} (written whole, via a
 * temp file and an atomic rename, on a worker), so that a restarted scheduler knows its apps and
 * takes over the tasks whose processes still run; the rest are relaunched by reconciling.
 * Deployments in flight are not kept: reconciling finishes their work all the same.
 */
final class SchedulerStore {

  private static final long SAVE_DELAY_MILLIS = 100;

  private final Vertx vertx;
  private final Path file;
  private final ClusterState state;
  private boolean pending;
  private Future<Void> lastWrite = Future.succeededFuture();

  SchedulerStore(Vertx vertx, Path stateDir, ClusterState state) {
    this.vertx = vertx;
    this.file = stateDir.resolve("state.json");
    this.state = state;
  }

  /**
   * Writes the state soon: once for any number of changes within {@link #SAVE_DELAY_MILLIS}, as
   * each write serialises every app.
   */
  void saveSoon() {
    if (pending) {
      return;
    }
    pending = true;
    vertx.setTimer(SAVE_DELAY_MILLIS, t -> {
      pending = false;
      ObjectNode snapshot = snapshot();
      lastWrite = lastWrite.transform(x -> vertx.executeBlocking(() -> write(snapshot), true));
    });
  }

  Future<Void> flush() {
    ObjectNode snapshot = snapshot();
    lastWrite = lastWrite.transform(x -> vertx.executeBlocking(() -> write(snapshot), true));
    return lastWrite;
  }

  private record Adopted(Task task, RunningTask process) {}

  private record Restored(List<ObjectNode> apps, List<ObjectNode> versions, List<Adopted> adopted) {}

  Future<Void> restore(TaskRunner runner, TaskLifecycle lifecycle) {
    return vertx.executeBlocking(() -> {
      List<ObjectNode> apps = new ArrayList<>();
      List<ObjectNode> versions = new ArrayList<>();
      List<Adopted> adopted = new ArrayList<>();
      if (Files.exists(file)) {
        JsonNode stored = Json.json().readTree(file.toFile());
        stored.path("apps").forEach(a -> apps.add((ObjectNode) a));
        stored.path("versions").forEach(v -> versions.add((ObjectNode) v));
        for (JsonNode t : stored.path("tasks")) {
          Task task = readTask(t);
          runner.adopt(task.id(), task.pid()).ifPresent(p -> adopted.add(new Adopted(task, p)));
        }
      }
      return new Restored(apps, versions, adopted);
    }, false).map(restored -> {
      // Oldest first, so that each app's newest version ends up first; a state written before
      // versions were kept starts each history with the app as it is.
      for (int i = restored.versions().size() - 1; i >= 0; i--) {
        state.versions.add(AppDefinition.of(restored.versions().get(i)));
      }
      restored.apps().forEach(a -> {
        AppDefinition app = AppDefinition.of(a);
        state.apps.put(app.id(), app);
        if (state.versions.of(app.id()).isEmpty()) {
          state.versions.add(app);
        }
      });
      for (Adopted a : restored.adopted()) {
        AppDefinition app = state.apps.get(a.task().appId());
        if (app == null) {
          a.process().kill(AppDefinition.DEFAULT_KILL_GRACE);
        } else {
          lifecycle.adopt(a.task(), a.process(), app);
        }
      }
      return null;
    });
  }

  /** Pretty-prints {@code snapshot} and writes it: on a worker, as both take time for many apps. */
  private Void write(ObjectNode snapshot) throws java.io.IOException {
    byte[] bytes = Json.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(snapshot);
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling("state.json.tmp");
    Files.write(temp, bytes);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return null;
  }

  /** The state as JSON, built on the scheduler's context; it shares nothing with the state. */
  private ObjectNode snapshot() {
    ObjectNode root = JsonNodeFactory.instance.objectNode().put("clusterId", state.clusterId);
    ArrayNode apps = root.putArray("apps");
    state.apps.values().forEach(a -> apps.add(a.json()));
    // Newest first within each app, as the API lists them.
    ArrayNode versions = root.putArray("versions");
    state.apps.keySet().forEach(id -> state.versions.of(id).forEach(v -> versions.add(v.json())));
    ArrayNode tasks = root.putArray("tasks");
    state.tasks.values().stream().filter(Task::active).forEach(t -> tasks.add(writeTask(t)));
    return root;
  }

  private static ObjectNode writeTask(Task t) {
    ObjectNode json = JsonNodeFactory.instance.objectNode().put("id", t.id()).put("appId", t.appId().path())
        .put("version", t.version()).put("node", t.node()).put("host", t.host()).put("slaveId", t.slaveId())
        .put("stagedAt", t.stagedAt().toString()).put("cpus", t.cpus()).put("mem", t.mem());
    t.ports().forEach(json.putArray("ports")::add);
    t.startedAt().ifPresent(s -> json.put("startedAt", s.toString()));
    t.pid().ifPresent(p -> json.put("pid", p));
    return json;
  }

  private static Task readTask(JsonNode j) {
    List<Integer> ports = new ArrayList<>();
    j.path("ports").forEach(p -> ports.add(p.asInt()));
    return new Task(j.path("id").asText(), AppId.of(j.path("appId").asText()), j.path("version").asText(),
        j.path("node").asText(), j.path("host").asText(), j.path("slaveId").asText(), ports,
        Instant.parse(j.path("stagedAt").asText()),
        j.has("startedAt") ? Optional.of(Instant.parse(j.get("startedAt").asText())) : Optional.empty(),
        TaskState.TASK_RUNNING, "", j.has("pid") ? OptionalLong.of(j.get("pid").asLong()) : OptionalLong.empty(),
        j.path("cpus").asDouble(), j.path("mem").asDouble());
  }
}
