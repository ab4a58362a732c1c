package dev.ferry.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.ReclaimPolicy;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.testing.TestManifests;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the controller owns, attacked over HTTP with edit and admin tokens as a user of the API
 * would: each attack is refused naming the field or the owner, and etcd is read back to show
 * that nothing changed. The controller's own writes (here done to the store directly, as the
 * reconcilers do) are not bound by these rules.
 */
class OwnershipApiTest {

  @RegisterExtension
  static final ApiFixture api = ApiFixture.withOwnEtcd();

  static final String V1 = "/apis/ferry/v1/";

  /** A StatefulApp applied by a user, and its Dataset as the StatefulApp reconciler creates it on {@code node}. */
  static Dataset placedApp(String app, String node) throws Exception {
    HttpResponse<String> created = api.send("PUT", V1 + "statefulapps/" + app, ApiFixture.EDIT,
        TestManifests.redisApp(app, "{}", "ssd"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    Dataset dataset = new Dataset(ObjectMeta.named(app + "-data").withLabels(Map.of("ferry.dev/statefulapp", app)),
        new DatasetSpec(Quantity.parse("1Gi"), node, "", ReclaimPolicy.Retain));
    return api.store.create(dataset).get();
  }

  static String dataset(String name, String specFields) {
    return """
        apiVersion: ferry/v1
        kind: Dataset
        metadata: {name: %s}
        spec: {%s}
        """.formatted(name, specFields);
  }

  static String migration(String name, String specFields) {
    return """
        apiVersion: ferry/v1
        kind: Migration
        metadata: {name: %s}
        spec: {%s}
        """.formatted(name, specFields);
  }

  static String appWith(String name, String appFields, String dataset) {
    return """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: %s}
        spec:
          app: {cmd: redis-server, instances: 1%s}
          dataset: {name: %s, size: 1Gi}
        """.formatted(name, appFields, dataset);
  }

  static JsonNode json(HttpResponse<String> response) {
    return ObjectApiTest.json(response);
  }

  /** The refusal's status, and the one field it names with a message containing {@code words}. */
  static void assertRefused(HttpResponse<String> refused, int status, String field, String... words) {
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(status);
    JsonNode details = json(refused).path("details");
    assertThat(details).as(refused.body()).extracting(d -> d.path("field").asText()).containsExactly(field);
    assertThat(details.get(0).path("message").asText()).contains(words);
    assertThat(json(refused).path("message").asText()).contains(field);
  }

  static Dataset storedDataset(String name) throws Exception {
    return api.store.get(Kind.DATASET, name).get().orElseThrow();
  }

  static Optional<Migration> storedMigration(String name) throws Exception {
    return api.store.get(Kind.MIGRATION, name).get();
  }

  @Test
  void aUserCannotMoveTheDatasetsPrimary() throws Exception {
    Dataset before = placedApp("own-primary", "node1");

    for (String token : new String[] {ApiFixture.EDIT, ApiFixture.ADMIN}) {
      HttpResponse<String> refused = api.send("PUT", V1 + "datasets/own-primary-data", token,
          dataset("own-primary-data", "size: 1Gi, primary: node2"));

      assertRefused(refused, 422, "spec.primary", "the controller's", "node1");
    }
    assertThat(storedDataset("own-primary-data")).isEqualTo(before);
  }

  @Test
  void aUserCannotTakeOrClearTheMigrationLock() throws Exception {
    Dataset before = placedApp("own-lock", "node1");

    HttpResponse<String> refused = api.send("PUT", V1 + "datasets/own-lock-data", ApiFixture.EDIT,
        dataset("own-lock-data", "size: 1Gi, primary: node1, migration: own-lock-evil"));

    assertRefused(refused, 422, "spec.migration", "the controller's");
    assertThat(storedDataset("own-lock-data")).isEqualTo(before);

    Dataset locked = api.store.update(before.withSpec(new DatasetSpec(before.spec().size(), "node1", "own-lock-move",
        ReclaimPolicy.Retain))).get();
    HttpResponse<String> cleared = api.send("PUT", V1 + "datasets/own-lock-data", ApiFixture.ADMIN,
        dataset("own-lock-data", "size: 1Gi, primary: node1, migration: other-move"));
    assertRefused(cleared, 422, "spec.migration", "own-lock-move");
    assertThat(storedDataset("own-lock-data")).isEqualTo(locked);
  }

  @Test
  void aDatasetManifestWithoutPrimaryKeepsThePrimary() throws Exception {
    placedApp("own-keep", "node1");

    HttpResponse<String> resized = api.send("PUT", V1 + "datasets/own-keep-data", ApiFixture.EDIT,
        dataset("own-keep-data", "size: 2Gi, reclaimPolicy: Delete"));

    assertThat(resized.statusCode()).as(resized.body()).isEqualTo(200);
    Dataset after = storedDataset("own-keep-data");
    assertThat(after.spec().primary()).isEqualTo("node1");
    assertThat(after.spec().size()).isEqualTo(Quantity.parse("2Gi"));
    assertThat(after.spec().reclaimPolicy()).isEqualTo(ReclaimPolicy.Delete);
    assertThat(json(resized).at("/spec/primary").asText()).isEqualTo("node1");
  }

  @Test
  void onlyTheControllerCreatesDatasets() throws Exception {
    HttpResponse<String> refused = api.send("PUT", V1 + "datasets/own-made-up", ApiFixture.ADMIN,
        dataset("own-made-up", "size: 1Gi"));

    assertRefused(refused, 422, "metadata.name", "only the controller creates Datasets", "StatefulApp");
    assertThat(api.store.get(Kind.DATASET, "own-made-up").get()).isEmpty();
  }

  @Test
  void aMigrationsSpecCannotChangeOnceCreated() throws Exception {
    placedApp("own-flight", "node1");
    HttpResponse<String> created = api.send("PUT", V1 + "migrations/own-flight-1", ApiFixture.EDIT,
        migration("own-flight-1", "statefulApp: own-flight, dataset: own-flight-data, from: node1, to: node2"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    Migration before = storedMigration("own-flight-1").orElseThrow();

    HttpResponse<String> refused = api.send("PUT", V1 + "migrations/own-flight-1", ApiFixture.ADMIN,
        migration("own-flight-1", "statefulApp: own-flight, dataset: own-flight-data, from: node1, to: node3"));

    assertRefused(refused, 422, "spec.to", "cannot be changed", "node2");
    assertThat(storedMigration("own-flight-1")).contains(before);
  }

  @Test
  void aMigrationMustNameAnExistingAppAndItsRealDataset() throws Exception {
    placedApp("own-victim", "node1");
    placedApp("own-other", "node1");

    HttpResponse<String> noApp = api.send("PUT", V1 + "migrations/own-ghost-1", ApiFixture.EDIT,
        migration("own-ghost-1", "statefulApp: own-ghost, dataset: own-victim-data, from: node1, to: node2"));
    HttpResponse<String> otherData = api.send("PUT", V1 + "migrations/own-other-1", ApiFixture.EDIT,
        migration("own-other-1", "statefulApp: own-other, dataset: own-victim-data, from: node1, to: node2"));
    HttpResponse<String> wrongFrom = api.send("PUT", V1 + "migrations/own-victim-1", ApiFixture.ADMIN,
        migration("own-victim-1", "statefulApp: own-victim, dataset: own-victim-data, from: node3, to: node2"));

    assertRefused(noApp, 422, "spec.statefulApp", "no StatefulApp \"own-ghost\"");
    assertRefused(otherData, 422, "spec.dataset", "own-victim-data", "own-other-data");
    assertRefused(wrongFrom, 422, "spec.from", "node3", "node1");
    assertThat(storedMigration("own-ghost-1")).isEmpty();
    assertThat(storedMigration("own-other-1")).isEmpty();
    assertThat(storedMigration("own-victim-1")).isEmpty();
  }

  @Test
  void aMigrationWithoutDatasetAndFromGetsThemFromTheApp() throws Exception {
    placedApp("own-fill", "node1");

    HttpResponse<String> created = api.send("PUT", V1 + "migrations/own-fill-1", ApiFixture.EDIT,
        migration("own-fill-1", "statefulApp: own-fill, to: node2"));
    HttpResponse<String> again = api.send("PUT", V1 + "migrations/own-fill-1", ApiFixture.EDIT,
        migration("own-fill-1", "statefulApp: own-fill, to: node2"));

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    Migration stored = storedMigration("own-fill-1").orElseThrow();
    assertThat(stored.spec().dataset()).isEqualTo("own-fill-data");
    assertThat(stored.spec().from()).isEqualTo("node1");
    assertThat(again.headers().firstValue("Ferry-Outcome")).as(again.body()).hasValue("unchanged");
  }

  @Test
  void aDatasetNameBelongsToOneStatefulApp() throws Exception {
    placedApp("own-first", "node1");

    HttpResponse<String> refused = api.send("PUT", V1 + "statefulapps/own-second", ApiFixture.ADMIN,
        appWith("own-second", "", "own-first-data"));

    assertRefused(refused, 422, "spec.dataset.name", "StatefulApp \"own-first\"");
    assertThat(api.store.get(Kind.STATEFUL_APP, "own-second").get()).isEmpty();
  }

  @Test
  void aMarathonAppIdBelongsToOneStatefulApp() throws Exception {
    placedApp("own-marathon", "node1");
    StatefulApp before = api.store.get(Kind.STATEFUL_APP, "own-marathon").get().orElseThrow();

    HttpResponse<String> sameId = api.send("PUT", V1 + "statefulapps/own-copycat", ApiFixture.EDIT,
        appWith("own-copycat", ", id: own-marathon", "own-copycat-data"));
    HttpResponse<String> dotted = api.send("PUT", V1 + "statefulapps/own-dotted", ApiFixture.EDIT,
        appWith("own-dotted", ", id: /x/../own-marathon", "own-dotted-data"));

    assertRefused(sameId, 422, "spec.app.id", "/own-marathon", "StatefulApp \"own-marathon\"");
    assertRefused(dotted, 422, "spec.app.id", "'..'");
    assertThat(api.store.get(Kind.STATEFUL_APP, "own-copycat").get()).isEmpty();
    assertThat(api.store.get(Kind.STATEFUL_APP, "own-dotted").get()).isEmpty();
    assertThat(api.store.get(Kind.STATEFUL_APP, "own-marathon").get()).contains(before);
  }

  @Test
  void aDatasetInUseCannotBeDeleted() throws Exception {
    Dataset before = placedApp("own-inuse", "node1");

    HttpResponse<String> refused = api.send("DELETE", V1 + "datasets/own-inuse-data", ApiFixture.ADMIN, null);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(json(refused).path("reason").asText()).isEqualTo("Conflict");
    assertThat(json(refused).path("message").asText()).contains("StatefulApp \"own-inuse\"");
    assertThat(storedDataset("own-inuse-data")).isEqualTo(before);

    api.store.delete(Kind.STATEFUL_APP, "own-inuse", 0).get();
    HttpResponse<String> deleted = api.send("DELETE", V1 + "datasets/own-inuse-data", ApiFixture.EDIT, null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    assertThat(api.store.get(Kind.DATASET, "own-inuse-data").get()).isEmpty();
  }
}
