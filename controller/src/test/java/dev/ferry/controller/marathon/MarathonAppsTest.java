package dev.ferry.controller.marathon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.ferry.api.codec.Json;
import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.controller.marathon.MarathonApps.Pin;
import dev.ferry.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every app Ferry writes must be one Marathon accepts: checked against Marathon's own schema. */
class MarathonAppsTest {

  private static JsonSchema marathonSchema;

  private static final String REDIS = """
      apiVersion: ferry/v1
      kind: StatefulApp
      metadata: {name: todos-db, generation: 3}
      spec:
        app:
          cmd: redis-server --dir "$FERRY_DATASET_PATH" --port "$PORT0"
          mem: 256
          instances: 1
          labels: {team: demo}
          healthChecks: [{protocol: TCP, portIndex: 0, gracePeriodSeconds: 30, intervalSeconds: 2}]
        dataset: {name: todos-data, size: 1Gi, mountPath: /data}
        placement:
          constraints: [[disk, LIKE, ssd]]
      """;

  private static final String MONGO_DOCKER = """
      apiVersion: ferry/v1
      kind: StatefulApp
      metadata: {name: mongo}
      spec:
        app:
          id: /demo/mongo
          cmd: exec mongod --dbpath "$FERRY_DATASET_PATH" --port 27017
          mem: 512
          container:
            type: DOCKER
            docker: {image: "mongo:3.0"}
            portMappings: [{containerPort: 27017, hostPort: 0}]
          networks: [{mode: container/bridge}]
        dataset: {name: mongo-data, size: 4Gi, mountPath: /data/db}
        placement:
          constraints: [[disk, LIKE, ssd]]
      """;

  private static final String GUARD = "/usr/lib/ferry/ferry-task-guard";
  private static final String IDENTITY = "todos-data/5e1f0c9a";

  private static Pin pin(String node, String hostPath) {
    return new Pin(node, hostPath, IDENTITY);
  }

  private static ObjectNode build(String yaml, Optional<Pin> pin, int instances) {
    return MarathonApps.build(read(yaml), pin, instances, TaskGuard.INSTALLED);
  }

  @BeforeAll
  static void loadMarathonSchema() throws IOException {
    ObjectNode schema = (ObjectNode) Json.json().readTree(
        Files.readString(TestData.path("marathon/schema/AppDefinition.json")));
    // Marathon's file names the bare "http://json-schema.org/schema#"; its keywords are draft 4's.
    schema.remove("$schema");
    marathonSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
  }

  private static StatefulApp read(String yaml) {
    return Manifests.readOne(yaml, Kind.STATEFUL_APP);
  }

  private static void assertMarathonAccepts(JsonNode app) {
    Set<ValidationMessage> problems = marathonSchema.validate(app);
    assertThat(problems).as("Marathon's schema on %s", app).isEmpty();
  }

  @Test
  void plainCommandAppGetsPinVolumeAndOneWriter() {
    ObjectNode app = build(REDIS, Optional.of(pin("node2", "/var/lib/ferry/datasets/todos-data")), 1);

    assertMarathonAccepts(app);
    assertThat(app.get("id").asText()).isEqualTo("/todos-db");
    assertThat(app.get("constraints").toString()).isEqualTo("[[\"hostname\",\"CLUSTER\",\"node2\"]]");
    assertThat(app.at("/container/type").asText()).isEqualTo("MESOS");
    assertThat(app.at("/container/volumes/0").toString())
        .isEqualTo("{\"containerPath\":\"data\",\"hostPath\":\"/var/lib/ferry/datasets/todos-data\",\"mode\":\"RW\"}");
    assertThat(app.at("/env/FERRY_DATASET_PATH").asText()).isEqualTo("/var/lib/ferry/datasets/todos-data");
    assertThat(app.at("/upgradeStrategy").toString())
        .isEqualTo("{\"minimumHealthCapacity\":0,\"maximumOverCapacity\":0}");
    assertThat(app.get("unreachableStrategy").asText())
        .as("Marathon must not replace an instance it cannot reach while the old one may still write")
        .isEqualTo("disabled");
    assertThat(app.at("/labels/FERRY_STATEFULAPP").asText()).isEqualTo("todos-db");
    assertThat(app.at("/labels/team").asText()).isEqualTo("demo");
    assertThat(MarathonApps.owner(app)).contains("todos-db");
  }

  /** The user's text goes to the guard in the environment, never into a shell string of Ferry's. */
  @Test
  void aDatasetsTaskIsLaunchedThroughTheGuardWithTheCommandInItsEnvironment() {
    ObjectNode app = build(REDIS, Optional.of(pin("node2", "/var/lib/ferry/datasets/todos-data")), 1);

    assertMarathonAccepts(app);
    assertThat(app.get("cmd").asText()).isEqualTo("exec " + GUARD);
    assertThat(app.at("/env/FERRY_TASK_CMD").asText()).isEqualTo("redis-server --dir \"$FERRY_DATASET_PATH\" --port \"$PORT0\"");
    assertThat(app.at("/env/FERRY_DATASET_IDENTITY").asText()).isEqualTo(IDENTITY);
    assertThat(app.has("args")).isFalse();
  }

  @Test
  void theGuardPathComesFromTheConfiguration() {
    ObjectNode app = MarathonApps.build(read(REDIS), Optional.of(pin("node1", "/d")), 1,
        new TaskGuard("/opt/ferry/scripts/ferry-task-guard"));

    assertThat(app.get("cmd").asText()).isEqualTo("exec /opt/ferry/scripts/ferry-task-guard");
  }

  @Test
  void aGuardPathAShellWouldReadDifferentlyIsRefused() {
    for (String bad : List.of("ferry-task-guard", "/opt/ferry task guard", "/x;rm -rf /", "/x/$(id)", "/opt/ferry/")) {
      assertThatThrownBy(() -> new TaskGuard(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("taskGuard '" + bad + "' must be the absolute path of ferry-task-guard");
    }
  }

  @Test
  void anArgsAppGetsTheGuardAsItsFirstArgument() {
    String argsApp = """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: todos-db}
        spec:
          app: {args: [redis-server, --port, "8000; rm -rf /"], instances: 1}
          dataset: {name: todos-data, size: 1Gi, mountPath: /data}
        """;
    ObjectNode app = build(argsApp, Optional.of(pin("node1", "/var/lib/ferry/datasets/todos-data")), 1);

    assertMarathonAccepts(app);
    assertThat(app.get("args").toString()).isEqualTo("[\"" + GUARD + "\",\"redis-server\",\"--port\",\"8000; rm -rf /\"]");
    assertThat(app.has("cmd")).isFalse();
    assertThat(app.at("/env").has("FERRY_TASK_CMD")).as("the guard runs its arguments").isFalse();
    assertThat(app.at("/env/FERRY_DATASET_IDENTITY").asText()).isEqualTo(IDENTITY);
  }

  @Test
  void aDockerAppRunsTheHostsGuardMountedReadOnly() {
    ObjectNode app = build(MONGO_DOCKER, Optional.of(pin("node1", "/var/lib/ferry/datasets/mongo-data")), 1);

    assertMarathonAccepts(app);
    assertThat(app.at("/container/volumes/1").toString()).isEqualTo("{\"containerPath\":\"" + TaskGuard.IN_CONTAINER
        + "\",\"hostPath\":\"" + GUARD + "\",\"mode\":\"RO\"}");
    assertThat(app.get("cmd").asText()).isEqualTo("exec " + TaskGuard.IN_CONTAINER);
    assertThat(app.at("/env/FERRY_TASK_CMD").asText()).isEqualTo("exec mongod --dbpath \"$FERRY_DATASET_PATH\" --port 27017");
    assertThat(app.get("unreachableStrategy").asText()).isEqualTo("disabled");
  }

  @Test
  void aDockerArgsAppGetsTheGuardAsItsEntrypoint() {
    String argsApp = """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: mongo}
        spec:
          app:
            args: [mongod, --dbpath, /data/db]
            container: {type: DOCKER, docker: {image: "mongo:3.0"}}
          dataset: {name: mongo-data, size: 4Gi, mountPath: /data/db}
        """;
    ObjectNode app = build(argsApp, Optional.of(pin("node1", "/var/lib/ferry/datasets/mongo-data")), 1);

    assertMarathonAccepts(app);
    assertThat(app.get("args").toString()).as("Docker gives args to the entrypoint").isEqualTo("[\"mongod\",\"--dbpath\",\"/data/db\"]");
    assertThat(app.at("/container/docker/parameters").toString())
        .isEqualTo("[{\"key\":\"entrypoint\",\"value\":\"" + TaskGuard.IN_CONTAINER + "\"}]");
  }

  @Test
  void dockerAppMountsTheDatasetAtItsMountPath() {
    ObjectNode app = build(MONGO_DOCKER, Optional.of(pin("node1", "/var/lib/ferry/datasets/mongo-data")), 1);

    assertMarathonAccepts(app);
    assertThat(app.get("id").asText()).isEqualTo("/demo/mongo");
    assertThat(app.at("/container/type").asText()).isEqualTo("DOCKER");
    assertThat(app.at("/container/volumes/0/containerPath").asText()).isEqualTo("/data/db");
    assertThat(app.at("/container/volumes/0/hostPath").asText()).isEqualTo("/var/lib/ferry/datasets/mongo-data");
    assertThat(app.at("/env/FERRY_DATASET_PATH").asText()).isEqualTo("/data/db");
  }

  @Test
  void quiescedAppAsksForNoInstances() {
    ObjectNode app = build(REDIS, Optional.of(pin("node1", "/d")), 0);

    assertMarathonAccepts(app);
    assertThat(app.get("instances").asInt()).isZero();
  }

  @Test
  void appWithoutDatasetIsNeitherPinnedNorGivenAVolume() {
    String front = """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: todos}
        spec:
          app: {cmd: "python3 -m http.server $PORT0", instances: 2}
          placement:
            constraints: [[hostname, UNIQUE]]
        """;
    ObjectNode app = build(front, Optional.empty(), 2);

    assertMarathonAccepts(app);
    assertThat(app.get("constraints").toString()).isEqualTo("[[\"hostname\",\"UNIQUE\"]]");
    assertThat(app.has("container")).isFalse();
    assertThat(app.has("upgradeStrategy")).isFalse();
    assertThat(app.has("unreachableStrategy")).isFalse();
    assertThat(app.get("cmd").asText()).as("no dataset, no guard").isEqualTo("python3 -m http.server $PORT0");
    assertThat(app.has("env")).isFalse();
    assertThat(app.get("instances").asInt()).isEqualTo(2);
  }

  /**
   * The fingerprint is stored in every app Ferry wrote: if its bytes changed between versions,
   * an upgraded controller would rewrite, and so restart, every app once. It changes only with
   * what Ferry writes: the task guard and unreachableStrategy changed it on purpose, since every
   * dataset's task must be restarted through the guard.
   */
  @Test
  void theFingerprintIsStableAndIgnoresKeyOrderAndTheGeneration() {
    ObjectNode app = build(REDIS, Optional.of(pin("node2", "/d")), 1);
    assertThat(app.at("/labels/FERRY_APP_HASH").asText()).isEqualTo("11832c2048a33e591bb6d0f7");

    ObjectNode reordered = Json.json().createObjectNode();
    List<String> keys = new ArrayList<>();
    app.fieldNames().forEachRemaining(keys::add);
    Collections.reverse(keys);
    keys.forEach(k -> reordered.set(k, app.get(k)));
    ((ObjectNode) reordered.get("labels")).put(MarathonApps.LABEL_GENERATION, "99");
    assertThat(MarathonApps.fingerprint(reordered)).isEqualTo(MarathonApps.fingerprint(app));
  }

  @Test
  void theSpecIsLeftAsItWas() {
    StatefulApp app = read(REDIS);
    MarathonApps.build(app, Optional.of(pin("node2", "/d")), 1, TaskGuard.INSTALLED);

    assertThat(app.spec().app().has("constraints")).isFalse();
    assertThat(app.spec().app().has("container")).isFalse();
    assertThat(app.spec().app().get("cmd").asText()).startsWith("redis-server");
    assertThat(app.spec().app().has("env")).isFalse();
  }
}
