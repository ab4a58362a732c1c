package dev.ferry.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real processes: an HTTP server app placed by constraint, health-checked, scaled, killed; the SSE of its deploy. */
class ProcessLifecycleTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String WEB = """
      {"id": "/web", "cmd": "exec python3 -m http.server $PORT0 --bind $HOST", "cpus": 0.1, "mem": 32,
       "constraints": [["disk", "LIKE", "ssd"]],
       "upgradeStrategy": {"minimumHealthCapacity": 0, "maximumOverCapacity": 0},
       "healthChecks": [{"protocol": "HTTP", "path": "/", "gracePeriodSeconds": 60, "intervalSeconds": 1,
                         "timeoutSeconds": 2, "maxConsecutiveFailures": 3}]}
      """;

  private TestCluster cluster;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private CompletableFuture<?> stream;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(DevclusterConfig.seedNodes(), false);
    HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.cluster.url() + "/v2/events"))
        .header("Accept", "text/event-stream").header("Authorization", cluster.credentials.authorization()).build();
    stream = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines())
        .thenAccept(r -> r.body().filter(l -> l.startsWith("event: ")).forEach(l -> events.add(l.substring(7))));
    await().atMost(PATIENCE).until(() -> events.contains("event_stream_attached"));
  }

  @AfterEach
  void stop() throws Exception {
    stream.cancel(true);
    List<Long> pids = pids();
    cluster.close();
    assertThat(pids).as("every task process ends with the cluster")
        .allMatch(pid -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void httpAppOnTheSsdNodeBecomesHealthyScalesAndIsKilled() throws Exception {
    assertThat(cluster.call("POST", "/v2/apps", WEB).status()).isEqualTo(201);
    await().atMost(PATIENCE).until(() -> app().path("tasksHealthy").asInt() == 1);
    JsonNode task = app().path("tasks").get(0);
    assertThat(task.path("host").asText()).isEqualTo("127.0.1.2");
    int port = task.path("ports").get(0).asInt();
    HttpResponse<String> page = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.1.2:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    await().atMost(PATIENCE).until(() -> events.contains("deployment_success"));
    assertThat(events).containsSubsequence("deployment_info", "status_update_event", "status_update_event",
        "status_update_event", "health_status_changed_event", "deployment_step_success", "deployment_success");
    assertThat(events).contains("api_post_event");

    assertThat(cluster.call("PUT", "/v2/apps/web", "{\"instances\": 2}").status()).isEqualTo(200);
    await().atMost(PATIENCE).until(() -> app().path("tasksHealthy").asInt() == 2);
    assertThat(app().path("tasks")).allMatch(t -> t.path("host").asText().equals("127.0.1.2"));
    // state.json is written on a worker after the change, so it may trail the API by a moment.
    await().atMost(PATIENCE).until(() -> pids().size() == 2);
    List<Long> running = pids();
    assertThat(running).hasSize(2);

    assertThat(cluster.call("DELETE", "/v2/apps/web", null).status()).isEqualTo(200);
    await().atMost(PATIENCE).until(() -> cluster.call("GET", "/v2/tasks", null).body().path("tasks").isEmpty());
    await().atMost(PATIENCE).until(() -> running.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
  }

  @Test
  void aKilledTaskIsReplacedAndTheEnvironmentIsMesoss() throws Exception {
    String sleeper = """
        {"id": "/g/sleeper", "cmd": "env > env.txt; exec sleep 600", "cpus": 0.1, "mem": 16,
         "constraints": [["hostname", "CLUSTER", "node1"]], "env": {"GREETING": "hi"},
         "portDefinitions": [{"port": 0, "name": "http"}], "taskKillGracePeriodSeconds": 1}
        """;
    assertThat(cluster.call("POST", "/v2/apps", sleeper).status()).isEqualTo(201);
    await().atMost(PATIENCE).until(() -> app("/g/sleeper").path("tasksRunning").asInt() == 1);
    JsonNode task = app("/g/sleeper").path("tasks").get(0);
    String first = task.path("id").asText();
    assertThat(first).startsWith("g_sleeper.instance-");
    var envFile = cluster.stateDir.resolve("nodes/node1/sandboxes").resolve(first).resolve("env.txt");
    await().atMost(PATIENCE).until(() -> Files.exists(envFile) && Files.readString(envFile).contains("GREETING"));
    String env = Files.readString(envFile);
    int port = task.path("ports").get(0).asInt();
    assertThat(env).contains("HOST=127.0.1.1", "PORT0=" + port, "PORTS=" + port, "PORT_HTTP=" + port,
        "MESOS_TASK_ID=" + first, "MARATHON_APP_ID=/g/sleeper", "GREETING=hi", "MESOS_SANDBOX=");

    JsonNode killed = cluster.call("POST", "/v2/tasks/delete", "{\"ids\": [\"" + first + "\"]}").body();
    assertThat(killed.path("tasks").get(0).path("id").asText()).isEqualTo(first);
    await().atMost(PATIENCE).until(() -> {
      JsonNode tasks = app("/g/sleeper").path("tasks");
      return tasks.size() == 1 && !tasks.get(0).path("id").asText().equals(first)
          && tasks.get(0).path("state").asText().equals("TASK_RUNNING");
    });
  }

  /**
   * {@code sh -c} forks its command, and SIGTERM ends the shell at once; the command (here a
   * shell standing in for Redis's last fsync) takes its time. The task is killed only once it
   * has exited: Ferry snapshots and unmounts a dataset when Marathon says its task is gone.
   * Its shutdown outlasts the default 3 s grace: deleting the app kills with the app's own.
   */
  @Test
  void aTaskCountsAsKilledOnlyOnceEveryProcessOfItHasExited() throws Exception {
    String slowStop = "trap 'sleep 4; touch stopped; exit 0' TERM; echo $$ > child.pid; while :; do sleep 0.1; done";
    var app = Json.json().createObjectNode().put("id", "/slow").put("cpus", 0.1).put("mem", 16)
        .put("cmd", "sh -c \"" + slowStop + "\"").put("taskKillGracePeriodSeconds", 10);
    app.putArray("constraints").addArray().add("hostname").add("CLUSTER").add("node1");
    assertThat(cluster.call("POST", "/v2/apps", app.toString()).status()).isEqualTo(201);
    await().atMost(PATIENCE).until(() -> app("/slow").path("tasksRunning").asInt() == 1);
    String taskId = app("/slow").path("tasks").get(0).path("id").asText();
    var sandbox = cluster.stateDir.resolve("nodes/node1/sandboxes").resolve(taskId);
    await().atMost(PATIENCE).until(() -> Files.exists(sandbox.resolve("child.pid")));
    long child = Long.parseLong(Files.readString(sandbox.resolve("child.pid")).strip());

    assertThat(cluster.call("DELETE", "/v2/apps/slow", null).status()).isEqualTo(200);
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
        .until(() -> cluster.call("GET", "/v2/tasks", null).body().path("tasks").isEmpty());
    assertThat(sandbox.resolve("stopped")).as("the command finished its own shutdown").exists();
    assertGone(child);
  }

  /** A task that exits leaving a background process behind: that process goes with the task. */
  @Test
  void whatATaskLeavesRunningEndsWithIt() throws Exception {
    var app = Json.json().createObjectNode().put("id", "/leaver").put("cpus", 0.1).put("mem", 16)
        .put("cmd", "sleep 600 & echo $! > orphan.pid; sleep 0.5; exit 3");
    app.putArray("constraints").addArray().add("hostname").add("CLUSTER").add("node1");
    app.put("backoffSeconds", 600);
    assertThat(cluster.call("POST", "/v2/apps", app.toString()).status()).isEqualTo(201);
    await().atMost(PATIENCE).until(() -> app("/leaver").has("lastTaskFailure"));
    String taskId = app("/leaver").path("lastTaskFailure").path("taskId").asText();
    var orphanPid = cluster.stateDir.resolve("nodes/node1/sandboxes").resolve(taskId).resolve("orphan.pid");
    assertGone(Long.parseLong(Files.readString(orphanPid).strip()));
    assertThat(app("/leaver").path("lastTaskFailure").path("state").asText()).isEqualTo("TASK_FAILED");
  }

  @Test
  void dockerAppsAreAcceptedAndTheirTasksFailWithAClearMessage() throws Exception {
    String docker = """
        {"id": "/dock", "cpus": 0.1, "mem": 16, "container": {"type": "DOCKER", "docker": {"image": "redis:7"}}}
        """;
    assertThat(cluster.call("POST", "/v2/apps", docker).status()).isEqualTo(201);
    await().atMost(PATIENCE).until(() -> app("/dock").has("lastTaskFailure"));
    assertThat(app("/dock").path("lastTaskFailure").path("message").asText()).contains("no Docker engine");
    assertThat(app("/dock").path("lastTaskFailure").path("state").asText()).isEqualTo("TASK_FAILED");
  }

  /** The process has exited: it is gone, or a zombie until init reaps it (which here takes seconds). */
  private static void assertGone(long pid) {
    String state;
    try {
      String stat = Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
      state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    } catch (java.io.IOException e) {
      return;
    }
    assertThat(state).as("state of process %d", pid).isIn("Z", "X");
  }

  private JsonNode app() throws Exception {
    return app("/web");
  }

  private JsonNode app(String id) throws Exception {
    return cluster.call("GET", "/v2/apps" + id, null).body().path("app");
  }

  private List<Long> pids() throws Exception {
    List<Long> pids = new ArrayList<>();
    var state = cluster.stateDir.resolve("state.json");
    if (Files.exists(state)) {
      Json.json().readTree(state.toFile()).path("tasks").forEach(t -> {
        if (t.has("pid")) {
          pids.add(t.get("pid").asLong());
        }
      });
    }
    return pids;
  }
}
