package dev.ferry.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.ferry.api.codec.Json;
import dev.ferry.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Posts Marathon's own example payloads and checks the answers' status codes and shapes against
 * NOTES.md and schema/AppDefinition.json. Tasks are simulated: the examples run Docker images and
 * hour-long sleeps.
 */
class MarathonContractTest {

  /** AppInfo adds these to the app; the schema (an app definition) does not know them. */
  private static final List<String> APP_INFO_FIELDS = List.of("tasksStaged", "tasksRunning", "tasksHealthy",
      "tasksUnhealthy", "deployments", "tasks", "lastTaskFailure", "tasksStats", "readinessCheckResults");
  /** Fields Marathon gained after the JSON schema was dropped in 1.8 (app.raml has them). */
  private static final List<String> AFTER_SCHEMA = List.of("role", "check", "tty", "resourceLimits");

  private static final Path MARATHON = TestData.path("marathon");
  private TestCluster cluster;
  private JsonSchema schema;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(DevclusterConfig.seedNodes(), true);
    ObjectNode raw = (ObjectNode) Json.json().readTree(MARATHON.resolve("schema/AppDefinition.json").toFile());
    raw.remove("$schema");
    schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(raw);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  /** devcluster plays the Mesos master too: its nodes are the agents (NOTES.md §5.1). */
  @Test
  void theMesosMasterListsEachNodeAsAnAgentWithItsAttributes() throws Exception {
    JsonNode slaves = cluster.call("GET", "/master/slaves", null).body();
    assertThat(slaves.path("recovered_slaves").isArray()).isTrue();
    assertThat(slaves.path("slaves")).hasSize(2);
    JsonNode node2 = slaves.path("slaves").get(1);
    assertThat(node2.path("hostname").asText()).isEqualTo("node2");
    assertThat(node2.path("attributes").path("disk").asText()).isEqualTo("ssd");
    assertThat(node2.path("active").asBoolean()).isTrue();
    assertThat(node2.path("resources").path("ports").asText()).isEqualTo("[32000-32999]");
    assertThat(node2.path("resources").path("cpus").isNumber()).isTrue();

    String id = node2.path("id").asText();
    JsonNode one = cluster.call("GET", "/slaves?slave_id=" + id, null).body().path("slaves");
    assertThat(one).hasSize(1);
    assertThat(one.get(0).path("hostname").asText()).isEqualTo("node2");

    // The agent id is the one tasks on that node carry.
    assertThat(cluster.call("POST", "/v2/apps", """
        {"id": "/on-ssd", "cmd": "sleep 600", "cpus": 0.1, "mem": 16, "constraints": [["disk", "LIKE", "ssd"]]}
        """).status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.call("GET", "/v2/apps/on-ssd", null).body()
        .path("app").path("tasks").size() == 1);
    assertThat(cluster.call("GET", "/v2/apps/on-ssd", null).body().path("app").path("tasks").get(0)
        .path("slaveId").asText()).isEqualTo(id);
  }

  @Test
  void examplesThatAreValidAppsAreCreatedWith201AndMatchTheSchema() throws Exception {
    for (String file : List.of("articles-examples/requests/app-simple.json", "examples/app-check-http-example.json")) {
      String body = Files.readString(MARATHON.resolve(file));
      TestCluster.Answer created = cluster.call("POST", "/v2/apps", body);
      assertThat(created.status()).as(file).isEqualTo(201);
      assertThat(created.raw().headers().firstValue("Marathon-Deployment-Id")).as(file).isPresent();
      assertThat(created.body().path("deployments").get(0).path("id").asText()).isNotEmpty();
      assertThat(created.body().has("versionInfo")).as("POST writes only a version").isFalse();
      assertThat(created.body().path("tasksRunning").isNumber()).isTrue();
      String id = created.body().path("id").asText();
      assertThat(id).startsWith("/");
      assertMatchesSchema(created.body(), file);
      TestCluster.Answer shown = cluster.call("GET", "/v2/apps" + id, null);
      assertThat(shown.status()).isEqualTo(200);
      assertThat(shown.body().path("app").path("tasks").isArray()).isTrue();
      assertMatchesSchema(shown.body().path("app"), file);
    }
  }

  @Test
  void marathonsFullAppExampleIsRejectedForHavingBothCmdAndArgs() throws Exception {
    TestCluster.Answer answer = cluster.call("POST", "/v2/apps", Files.readString(MARATHON.resolve("examples/app.json")));
    assertThat(answer.status()).isEqualTo(422);
    assertThat(answer.body().path("message").asText()).isEqualTo("Object is not valid");
    assertThat(answer.body().path("details").get(0).path("path").asText()).isEqualTo("/");
  }

  @Test
  void theFullAppExampleWithoutArgsIsADockerAppWhoseTasksFailClearly() throws Exception {
    ObjectNode app = (ObjectNode) Json.json().readTree(MARATHON.resolve("examples/app.json").toFile());
    app.remove("args");
    app.remove("constraints");
    TestCluster.Answer created = cluster.call("POST", "/v2/apps", app.toString());
    assertThat(created.status()).isEqualTo(201);
    JsonNode stored = cluster.call("GET", "/v2/apps/foo", null).body().path("app");
    assertThat(stored.has("ipAddress")).as("deprecated fields are not written back").isFalse();
    assertThat(stored.path("container").path("docker").has("portMappings")).isFalse();
    assertThat(stored.path("container").path("portMappings").isArray()).isTrue();
    assertThat(stored.path("networks").get(0).path("mode").asText()).isEqualTo("container/bridge");
  }

  @Test
  void putCreatesWith201ThenUpdatesWith200AndPatchesWithTheExample() throws Exception {
    String simple = Files.readString(MARATHON.resolve("articles-examples/requests/app-simple.json"));
    TestCluster.Answer created = cluster.call("PUT", "/v2/apps/foo", simple);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().fieldNames()).toIterable().containsExactlyInAnyOrder("deploymentId", "version");
    await().atMost(Duration.ofSeconds(20)).until(() -> cluster.call("GET", "/v2/deployments", null).body().isEmpty());
    assertThat(cluster.call("GET", "/v2/apps/foo", null).body().path("app").path("id").asText())
        .as("the path id wins over the body id").isEqualTo("/foo");
    TestCluster.Answer patched = cluster.call("PATCH", "/v2/apps/foo", Files.readString(MARATHON.resolve("examples/app_patch.json")));
    assertThat(patched.status()).isEqualTo(200);
    // No node has disk=tape, so this deployment cannot finish and holds the app.
    cluster.call("PATCH", "/v2/apps/foo?force=true", "{\"constraints\":[[\"disk\",\"IS\",\"tape\"]]}");
    TestCluster.Answer locked = cluster.call("PUT", "/v2/apps/foo", "{\"instances\":3}");
    assertThat(locked.status()).isEqualTo(409);
    assertThat(locked.body().path("deployments").get(0).path("id").asText()).isNotEmpty();
    assertThat(cluster.call("PUT", "/v2/apps/foo?force=true", "{\"instances\":3}").status()).isEqualTo(200);
  }

  @Test
  void putAndPatchOfManyAppsTakeTheArrayExamples() throws Exception {
    TestCluster.Answer put = cluster.call("PUT", "/v2/apps", Files.readString(MARATHON.resolve("examples/apps_create.json")));
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.body().has("deploymentId")).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> cluster.call("GET", "/v2/deployments", null).body().isEmpty());
    assertThat(cluster.call("PATCH", "/v2/apps", Files.readString(MARATHON.resolve("examples/apps_patch.json"))).status()).isEqualTo(200);
    JsonNode group = cluster.call("GET", "/v2/apps/test/*", null).body().path("*");
    assertThat(group).hasSize(2);
    JsonNode tasks = cluster.call("GET", "/v2/tasks", null).body().path("tasks");
    assertThat(tasks).isNotEmpty();
    assertThat(tasks.get(0).path("slaveId").asText()).endsWith("-S0");
    assertThat(tasks.get(0).path("state").asText()).startsWith("TASK_");
  }

  @Test
  void errorsHaveMarathonsStatusesAndBodies() throws Exception {
    TestCluster.Answer malformed = cluster.call("POST", "/v2/apps", "{\"id\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body().path("message").asText()).isEqualTo("Invalid JSON");
    assertThat(malformed.body().path("details").isTextual()).isTrue();
    TestCluster.Answer wrongType = cluster.call("POST", "/v2/apps", "{\"id\":123,\"cmd\":\"sleep 1\"}");
    assertThat(wrongType.status()).isEqualTo(422);
    assertThat(wrongType.body().path("details").get(0).path("path").asText()).isEqualTo("/id");
    assertThat(wrongType.body().path("details").get(0).path("errors").get(0).asText()).isEqualTo("error.expected.jsstring");
    TestCluster.Answer invalid = cluster.call("POST", "/v2/apps",
        "{\"id\":\"/x\",\"cmd\":\"sleep 1\",\"upgradeStrategy\":{\"minimumHealthCapacity\":1.2}}");
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.body().path("details").get(0).path("errors").get(0).asText()).isEqualTo("got 1.2, expected between 0.0 and 1.0");
    assertThat(cluster.call("POST", "/v2/apps", "{\"id\":\"/y\"}").body().path("details").get(0).path("errors").get(0).asText())
        .isEqualTo("AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.");
    assertThat(cluster.call("GET", "/v2/apps/nope", null).status()).isEqualTo(404);
    assertThat(cluster.call("DELETE", "/v2/apps/nope", null).body().path("message").asText()).isEqualTo("App '/nope' does not exist");
    assertThat(cluster.call("GET", "/v2/nothing-here", null).status()).isEqualTo(500);
    assertThat(cluster.call("POST", "/v2/tasks/delete?scale=true&wipe=true", "{\"ids\":[]}").status()).isEqualTo(400);
    assertThat(cluster.call("POST", "/v2/tasks/delete", "{\"ids\":[\"garbage\"]}").status()).isEqualTo(400);
    assertThat(cluster.call("DELETE", "/v2/deployments/nope", null).status()).isEqualTo(404);
    assertThat(cluster.call("GET", "/v2/events", null).status()).isEqualTo(405);
  }

  /** Ferry writes "disabled" for apps with data (NOTES.md 2.6): a Marathon accepts it, and the object form. */
  @Test
  void unreachableStrategyIsDisabledOrAnObjectAsInMarathon() throws Exception {
    TestCluster.Answer disabled = cluster.call("POST", "/v2/apps",
        "{\"id\":\"/off\",\"cmd\":\"sleep 600\",\"unreachableStrategy\":\"disabled\"}");
    assertThat(disabled.status()).as(disabled.body().toString()).isEqualTo(201);
    JsonNode stored = cluster.call("GET", "/v2/apps/off", null).body().path("app");
    assertThat(stored.path("unreachableStrategy").asText()).isEqualTo("disabled");
    assertMatchesSchema(stored, "unreachableStrategy disabled");

    TestCluster.Answer object = cluster.call("POST", "/v2/apps", "{\"id\":\"/late\",\"cmd\":\"sleep 600\","
        + "\"unreachableStrategy\":{\"inactiveAfterSeconds\":60,\"expungeAfterSeconds\":120}}");
    assertThat(object.status()).as(object.body().toString()).isEqualTo(201);
    assertThat(cluster.call("GET", "/v2/apps/late", null).body().path("app").path("unreachableStrategy").toString())
        .isEqualTo("{\"inactiveAfterSeconds\":60,\"expungeAfterSeconds\":120}");
    cluster.call("POST", "/v2/apps", "{\"id\":\"/default\",\"cmd\":\"sleep 600\"}");
    assertThat(cluster.call("GET", "/v2/apps/default", null).body().path("app").path("unreachableStrategy").toString())
        .as("Marathon's default replaces an unreachable instance at once")
        .isEqualTo("{\"inactiveAfterSeconds\":0,\"expungeAfterSeconds\":0}");

    TestCluster.Answer enabled = cluster.call("POST", "/v2/apps",
        "{\"id\":\"/on\",\"cmd\":\"sleep 1\",\"unreachableStrategy\":\"enabled\"}");
    assertThat(enabled.status()).isEqualTo(422);
    assertThat(enabled.body().path("details").get(0).path("path").asText()).isEqualTo("/unreachableStrategy");
    TestCluster.Answer backwards = cluster.call("POST", "/v2/apps", "{\"id\":\"/on\",\"cmd\":\"sleep 1\","
        + "\"unreachableStrategy\":{\"inactiveAfterSeconds\":120,\"expungeAfterSeconds\":60}}");
    assertThat(backwards.status()).isEqualTo(422);
    assertThat(backwards.body().path("details").get(0).path("path").asText())
        .isEqualTo("/unreachableStrategy/inactiveAfterSeconds");
    TestCluster.Answer number = cluster.call("POST", "/v2/apps",
        "{\"id\":\"/on\",\"cmd\":\"sleep 1\",\"unreachableStrategy\":5}");
    assertThat(number.status()).isEqualTo(422);
    assertThat(number.body().path("message").asText()).isEqualTo("Invalid JSON");
    assertThat(cluster.call("GET", "/v2/apps/on", null).status()).as("nothing refused was created").isEqualTo(404);
  }

  @Test
  void infoLeaderAndPingAnswerLikeMarathon() throws Exception {
    JsonNode info = cluster.call("GET", "/v2/info", null).body();
    assertThat(info.fieldNames()).toIterable().contains("name", "version", "buildref", "elected", "leader",
        "frameworkId", "marathon_config", "zookeeper_config", "http_config");
    assertThat(info.path("marathon_config").path("simulate_tasks").asBoolean()).isTrue();
    assertThat(cluster.call("GET", "/v2/leader", null).body().path("leader").asText()).isEqualTo("127.0.0.1:" + cluster.cluster.port());
    assertThat(cluster.call("GET", "/ping", null).body().asText()).isEqualTo("pong");
  }

  @Test
  void versionsListAnAppsHistoryNewestFirstBoundedAndKeptAcrossRestarts() throws Exception {
    assertThat(cluster.call("POST", "/v2/apps", "{\"id\":\"/v\",\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16}").status())
        .isEqualTo(201);
    assertThat(cluster.call("PUT", "/v2/apps/v?force=true", "{\"cpus\":0.2}").status()).isEqualTo(200);
    JsonNode versions = cluster.call("GET", "/v2/apps/v/versions", null).body().path("versions");
    assertThat(versions).hasSize(2);
    String newest = versions.get(0).asText();
    String first = versions.get(1).asText();
    assertThat(newest).isGreaterThan(first).isEqualTo(cluster.call("GET", "/v2/apps/v", null).body().path("app").path("version").asText());
    JsonNode old = cluster.call("GET", "/v2/apps/v/versions/" + first, null).body();
    assertThat(old.path("cpus").asDouble()).isEqualTo(0.1);
    assertThat(old.path("version").asText()).isEqualTo(first);
    assertMatchesSchema(old, "versions/" + first);
    assertThat(cluster.call("GET", "/v2/apps/v/versions/" + newest, null).body().path("cpus").asDouble()).isEqualTo(0.2);
    TestCluster.Answer unknown = cluster.call("GET", "/v2/apps/v/versions/2014-03-01T23:42:20.938Z", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().path("message").asText()).isEqualTo("App '/v' does not exist in version 2014-03-01T23:42:20.938Z");
    assertThat(cluster.call("GET", "/v2/apps/nope/versions", null).body().path("message").asText()).isEqualTo("App '/nope' does not exist");

    for (int i = 0; i < 25; i++) {
      cluster.call("PUT", "/v2/apps/v?force=true", "{\"instances\":" + (i % 3) + ",\"mem\":" + (16 + i) + "}");
    }
    JsonNode bounded = cluster.call("GET", "/v2/apps/v/versions", null).body().path("versions");
    assertThat(bounded).as("the oldest are dropped").hasSize(20);
    assertThat(bounded.toString()).doesNotContain(first);

    cluster.stopKeepingState();
    try (TestCluster again = new TestCluster(DevclusterConfig.seedNodes(), true, cluster.stateDir)) {
      assertThat(again.call("GET", "/v2/apps/v/versions", null).body().path("versions")).isEqualTo(bounded);
      again.call("DELETE", "/v2/apps/v", null);
      assertThat(again.call("GET", "/v2/apps/v/versions", null).status()).isEqualTo(404);
    }
    cluster = new TestCluster(DevclusterConfig.seedNodes(), true);
  }

  @Test
  void groupsAreTheTreeTheAppIdsImplyAndMatchTheGroupSchema() throws Exception {
    assertThat(cluster.call("PUT", "/v2/apps", Files.readString(MARATHON.resolve("examples/apps_create.json"))).status())
        .isEqualTo(200);
    cluster.call("POST", "/v2/apps", "{\"id\":\"/top\",\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16}");
    JsonNode root = cluster.call("GET", "/v2/groups", null).body();
    assertThat(root.path("id").asText()).isEqualTo("/");
    assertThat(root.path("apps").findValuesAsText("id")).containsExactly("/top");
    assertThat(root.path("groups")).extracting(g -> g.path("id").asText()).containsExactly("/test");
    JsonNode test = root.path("groups").get(0);
    assertThat(test.path("apps")).extracting(a -> a.path("id").asText()).containsExactlyInAnyOrder("/test/sleep60", "/test/sleep120");
    assertMatchesGroupSchema(root);
    JsonNode example = Json.json().readTree(MARATHON.resolve("examples/group.json").toFile());
    assertThat(root.fieldNames()).toIterable().containsAll(() -> example.fieldNames());

    assertThat(cluster.call("GET", "/v2/groups/test", null).body()).isEqualTo(test);
    assertThat(cluster.call("GET", "/v2/groups/test?embed=group.groups", null).body().path("apps")).isEmpty();
    assertThat(cluster.call("GET", "/v2/groups/test?embed=group.apps.counts", null).body().path("apps").get(0)
        .path("tasksRunning").isNumber()).isTrue();
    TestCluster.Answer missing = cluster.call("GET", "/v2/groups/nope", null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body().path("message").asText()).isEqualTo("Group '/nope' does not exist");
  }

  @Test
  void theQueueListsAppsWaitingToLaunchInTheExamplesShape() throws Exception {
    cluster.call("POST", "/v2/apps", "{\"id\":\"/runs\",\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16}");
    // No node has disk=tape: its two instances wait.
    cluster.call("POST", "/v2/apps", "{\"id\":\"/waits\",\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16,\"instances\":2,"
        + "\"constraints\":[[\"disk\",\"IS\",\"tape\"]]}");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        cluster.call("GET", "/v2/apps/runs", null).body().path("app").path("tasksRunning").asInt() == 1);
    JsonNode queue = cluster.call("GET", "/v2/queue", null).body().path("queue");
    assertThat(queue).hasSize(1);
    JsonNode item = queue.get(0);
    assertThat(item.path("app").path("id").asText()).isEqualTo("/waits");
    assertThat(item.path("count").asInt()).isEqualTo(2);
    assertThat(item.path("delay").path("overdue").asBoolean()).isTrue();
    JsonNode example = Json.json().readTree(MARATHON.resolve("examples/queue.json").toFile()).path("queue").get(0);
    assertThat(item.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(() -> example.fieldNames());
    assertThat(item.path("delay").fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(() -> example.path("delay").fieldNames());
    assertMatchesSchema(item.path("app"), "queue");
  }

  private void assertMatchesGroupSchema(JsonNode group) throws Exception {
    ObjectNode raw = (ObjectNode) Json.json().readTree(MARATHON.resolve("schema/Group.json").toFile());
    raw.remove("$schema");
    // Each app is checked against AppDefinition.json below, rather than through the remote $ref.
    ((ObjectNode) raw.path("properties").path("apps")).set("items", Json.json().createObjectNode());
    JsonSchema groupSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(raw);
    ObjectNode definition = group.deepCopy();
    stripAfterSchema(definition);
    assertThat(groupSchema.validate(definition)).as(definition.toString()).isEmpty();
    for (JsonNode app : group.findValues("apps")) {
      app.forEach(a -> assertMatchesSchema(a, "group " + group.path("id")));
    }
  }

  /** Group.json predates pods and enforceRole (group.raml has them). */
  private static void stripAfterSchema(ObjectNode group) {
    group.remove(List.of("pods", "enforceRole"));
    group.path("groups").forEach(g -> stripAfterSchema((ObjectNode) g));
  }

  private void assertMatchesSchema(JsonNode app, String file) {
    ObjectNode definition = app.deepCopy();
    definition.remove(APP_INFO_FIELDS);
    definition.remove(AFTER_SCHEMA);
    Set<?> errors = schema.validate(definition);
    assertThat(errors).as(file + " answered " + definition).isEmpty();
  }
}
