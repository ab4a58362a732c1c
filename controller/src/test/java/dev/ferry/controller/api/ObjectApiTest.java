package dev.ferry.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import dev.ferry.testing.TestManifests;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ObjectApiTest {

  @RegisterExtension
  static final ApiFixture api = ApiFixture.withOwnEtcd();

  static final String APPS = "/apis/ferry/v1/statefulapps";

  static String app(String name, String labels, String disk) {
    return TestManifests.redisApp(name, labels, disk);
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.json().readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  static long revision() {
    return api.revision();
  }

  @Test
  void applyCreatesThenLeavesUnchangedThenConfigures() {
    HttpResponse<String> created = api.put(APPS + "/crud", app("crud", "{app: a}", "spinning"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Ferry-Outcome")).hasValue("created");
    assertThat(json(created).at("/metadata/generation").asLong()).isEqualTo(1);

    HttpResponse<String> again = api.put(APPS + "/crud", app("crud", "{app: a}", "spinning"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.headers().firstValue("Ferry-Outcome")).hasValue("unchanged");
    assertThat(json(again).at("/metadata/resourceVersion")).isEqualTo(json(created).at("/metadata/resourceVersion"));

    HttpResponse<String> changed = api.put(APPS + "/crud", app("crud", "{app: a}", "ssd"));
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.headers().firstValue("Ferry-Outcome")).hasValue("configured");
    assertThat(json(changed).at("/metadata/generation").asLong()).isEqualTo(2);

    HttpResponse<String> read = api.get(APPS + "/crud");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(json(read).at("/spec/placement/constraints/0/2").asText()).isEqualTo("ssd");

    HttpResponse<String> deleted = api.send("DELETE", APPS + "/crud", ApiFixture.ADMIN, null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(deleted.headers().firstValue("Ferry-Outcome")).hasValue("deleted");
    assertThat(api.get(APPS + "/crud").statusCode()).isEqualTo(404);
    assertThat(json(api.get(APPS + "/crud")).path("reason").asText()).isEqualTo("NotFound");
  }

  @Test
  void listsBySelector() {
    api.put(APPS + "/sel-a", app("sel-a", "{tier: db, team: x}", "ssd"));
    api.put(APPS + "/sel-b", app("sel-b", "{tier: web, team: x}", "ssd"));

    JsonNode db = json(api.get(APPS + "?labelSelector=tier%3Ddb"));
    JsonNode team = json(api.get(APPS + "?labelSelector=team%20in%20(x),tier!%3Dcache"));

    assertThat(db.path("kind").asText()).isEqualTo("StatefulAppList");
    assertThat(db.path("items")).extracting(i -> i.at("/metadata/name").asText()).containsExactly("sel-a");
    assertThat(team.path("items")).extracting(i -> i.at("/metadata/name").asText()).contains("sel-a", "sel-b");
    assertThat(db.at("/metadata/resourceVersion").asLong()).isPositive();
    HttpResponse<String> bad = api.get(APPS + "?labelSelector=a%20in%20");
    assertThat(bad.statusCode()).isEqualTo(400);
  }

  @Test
  void aStaleResourceVersionIsAConflict() {
    JsonNode created = json(api.put(APPS + "/stale", app("stale", "{}", "ssd")));
    long first = created.at("/metadata/resourceVersion").asLong();
    api.put(APPS + "/stale", app("stale", "{}", "spinning"));

    String withOldVersion = app("stale", "{}", "hdd").replace("  name: stale", "  name: stale\n  resourceVersion: " + first);
    HttpResponse<String> conflict = api.put(APPS + "/stale", withOldVersion);
    HttpResponse<String> deleteConflict = api.send("DELETE", APPS + "/stale?resourceVersion=" + first, ApiFixture.ADMIN, null);

    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(json(conflict).path("reason").asText()).isEqualTo("Conflict");
    assertThat(json(conflict).path("message").asText()).contains("expected resourceVersion " + first);
    assertThat(deleteConflict.statusCode()).isEqualTo(409);
    assertThat(json(api.get(APPS + "/stale")).at("/spec/placement/constraints/0/2").asText()).isEqualTo("spinning");
  }

  @Test
  void theCurrentResourceVersionIsAccepted() {
    long version = json(api.put(APPS + "/fresh", app("fresh", "{}", "ssd"))).at("/metadata/resourceVersion").asLong();

    HttpResponse<String> updated = api.put(APPS + "/fresh",
        app("fresh", "{}", "hdd").replace("  name: fresh", "  name: fresh\n  resourceVersion: " + version));

    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    assertThat(updated.headers().firstValue("Ferry-Outcome")).hasValue("configured");
  }

  @Test
  void dryRunWritesNothing() {
    api.put(APPS + "/dry-existing", app("dry-existing", "{}", "ssd"));
    long before = revision();

    HttpResponse<String> create = api.put(APPS + "/dry-new?dryRun=true", app("dry-new", "{}", "ssd"));
    HttpResponse<String> change = api.put(APPS + "/dry-existing?dryRun=true", app("dry-existing", "{}", "hdd"));
    HttpResponse<String> delete = api.send("DELETE", APPS + "/dry-existing?dryRun=true", ApiFixture.ADMIN, null);

    assertThat(create.statusCode()).isEqualTo(201);
    assertThat(create.headers().firstValue("Ferry-Outcome")).hasValue("created");
    assertThat(create.headers().firstValue("Ferry-Dry-Run")).hasValue("true");
    assertThat(change.headers().firstValue("Ferry-Outcome")).hasValue("configured");
    assertThat(json(change).at("/spec/placement/constraints/0/2").asText()).isEqualTo("hdd");
    assertThat(delete.headers().firstValue("Ferry-Outcome")).hasValue("deleted");
    assertThat(revision()).isEqualTo(before);
    assertThat(api.get(APPS + "/dry-new").statusCode()).isEqualTo(404);
    assertThat(api.get(APPS + "/dry-existing").statusCode()).isEqualTo(200);
  }

  @Test
  void anObjectWithFinalizersIsOnlyMarkedForDeletion() throws Exception {
    api.put(APPS + "/guarded", app("guarded", "{}", "ssd"));
    var stored = api.store.get(dev.ferry.api.model.Kind.STATEFUL_APP, "guarded").get().orElseThrow();
    api.store.update(stored.withMetadata(stored.metadata().withFinalizers(java.util.List.of("ferry.dev/dataset")))).get();

    HttpResponse<String> deleting = api.send("DELETE", APPS + "/guarded", ApiFixture.EDIT, null);
    HttpResponse<String> again = api.send("DELETE", APPS + "/guarded", ApiFixture.EDIT, null);

    assertThat(deleting.statusCode()).isEqualTo(202);
    assertThat(deleting.headers().firstValue("Ferry-Outcome")).hasValue("deleting");
    JsonNode read = json(api.get(APPS + "/guarded"));
    assertThat(read.at("/metadata/deletionTimestamp").asText()).isNotEmpty();
    assertThat(read.at("/metadata/finalizers/0").asText()).isEqualTo("ferry.dev/dataset");
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(json(again).at("/metadata/resourceVersion")).isEqualTo(read.at("/metadata/resourceVersion"));
  }

  @Test
  void statusIsNeverTakenFromTheUser() {
    HttpResponse<String> refused = api.put(APPS + "/sneaky", app("sneaky", "{}", "ssd") + "status: {node: node9}\n");

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(json(refused).path("details")).extracting(d -> d.path("field").asText()).contains("status");
  }

  @Test
  void theUrlAndTheBodyMustNameTheSameObject() {
    HttpResponse<String> otherName = api.put(APPS + "/one", app("two", "{}", "ssd"));
    HttpResponse<String> otherKind = api.put("/apis/ferry/v1/gitsources/one", app("one", "{}", "ssd"));
    HttpResponse<String> unknownKind = api.put("/apis/ferry/v1/pods/one", app("one", "{}", "ssd"));

    assertThat(otherName.statusCode()).isEqualTo(422);
    assertThat(json(otherName).at("/details/0/field").asText()).isEqualTo("metadata.name");
    assertThat(otherKind.statusCode()).isEqualTo(422);
    assertThat(json(otherKind).at("/details/0/field").asText()).isEqualTo("kind");
    assertThat(unknownKind.statusCode()).isEqualTo(404);
  }

  @Test
  void aBodyOverOneMebibyteIsRefusedWith413() {
    String huge = app("huge", "{}", "ssd") + "# " + "x".repeat(1024 * 1024) + "\n";

    HttpResponse<String> refused = api.put(APPS + "/huge", huge);

    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(json(refused).path("message").asText()).contains("larger than 1048576 bytes");
  }

  @Test
  void metricsCountRequestsByRouteAndCode() {
    api.get(APPS + "/nothing-here");

    String metrics = api.get("/metrics").body();

    assertThat(metrics).contains("# TYPE ferry_api_requests_total counter")
        .contains("ferry_api_requests_total{code=\"404\",method=\"GET\",route=\"/apis/ferry/v1/:plural/:name\"}")
        .contains("# TYPE ferry_api_request_duration_seconds histogram")
        .contains("ferry_api_request_duration_seconds_bucket{code=\"404\",method=\"GET\","
            + "route=\"/apis/ferry/v1/:plural/:name\",le=\"+Inf\"}");
  }

  @Test
  void probes() {
    assertThat(api.send("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
    assertThat(api.get("/readyz").statusCode()).isEqualTo(200);
    assertThat(json(api.get("/version")).path("version").asText()).isNotEmpty();
  }
}
