package dev.ferry.controller.marathon;

import static org.assertj.core.api.Assertions.assertThat;

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
    ObjectNode app = MarathonApps.build(read(REDIS),
        Optional.of(new Pin("node2", "/var/lib/ferry/datasets/todos-data")), 1);

    assertMarathonAccepts(app);
    assertThat(app.get("id").asText()).isEqualTo("/todos-db");
    assertThat(app.get("constraints").toString()).isEqualTo("[[\"hostname\",\"CLUSTER\",\"node2\"]]");
    assertThat(app.at("/container/type").asText()).isEqualTo("MESOS");
    assertThat(app.at("/container/volumes/0").toString())
        .isEqualTo("{\"containerPath\":\"data\",\"hostPath\":\"/var/lib/ferry/datasets/todos-data\",\"mode\":\"RW\"}");
    assertThat(app.at("/env/FERRY_DATASET_PATH").asText()).isEqualTo("/var/lib/ferry/datasets/todos-data");
    assertThat(app.at("/upgradeStrategy").toString())
        .isEqualTo("{\"minimumHealthCapacity\":0,\"maximumOverCapacity\":0}");
    assertThat(app.at("/labels/FERRY_STATEFULAPP").asText()).isEqualTo("todos-db");
    assertThat(app.at("/labels/team").asText()).isEqualTo("demo");
    assertThat(MarathonApps.owner(app)).contains("todos-db");
  }

  @Test
  void dockerAppMountsTheDatasetAtItsMountPath() {
    ObjectNode app = MarathonApps.build(read(MONGO_DOCKER),
        Optional.of(new Pin("node1", "/var/lib/ferry/datasets/mongo-data")), 1);

    assertMarathonAccepts(app);
    assertThat(app.get("id").asText()).isEqualTo("/demo/mongo");
    assertThat(app.at("/container/type").asText()).isEqualTo("DOCKER");
    assertThat(app.at("/container/volumes/0/containerPath").asText()).isEqualTo("/data/db");
    assertThat(app.at("/container/volumes/0/hostPath").asText()).isEqualTo("/var/lib/ferry/datasets/mongo-data");
    assertThat(app.at("/env/FERRY_DATASET_PATH").asText()).isEqualTo("/data/db");
  }

  @Test
  void quiescedAppAsksForNoInstances() {
    ObjectNode app = MarathonApps.build(read(REDIS), Optional.of(new Pin("node1", "/d")), 0);

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
    ObjectNode app = MarathonApps.build(read(front), Optional.empty(), 2);

    assertMarathonAccepts(app);
    assertThat(app.get("constraints").toString()).isEqualTo("[[\"hostname\",\"UNIQUE\"]]");
    assertThat(app.has("container")).isFalse();
    assertThat(app.has("upgradeStrategy")).isFalse();
    assertThat(app.get("instances").asInt()).isEqualTo(2);
  }

  /**
   * The fingerprint is stored in every app Ferry wrote: if its bytes changed between versions,
   * an upgraded controller would rewrite, and so restart, every app once.
   */
  @Test
  void theFingerprintIsStableAndIgnoresKeyOrderAndTheGeneration() {
    ObjectNode app = MarathonApps.build(read(REDIS), Optional.of(new Pin("node2", "/d")), 1);
    assertThat(app.at("/labels/FERRY_APP_HASH").asText()).isEqualTo("befb6029f02694fb89a4545f");

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
    MarathonApps.build(app, Optional.of(new Pin("node2", "/d")), 1);

    assertThat(app.spec().app().has("constraints")).isFalse();
    assertThat(app.spec().app().has("container")).isFalse();
  }
}
