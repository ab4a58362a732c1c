package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.events.EventRecorder;
import dev.ferry.api.model.ObjectReference;
import dev.ferry.controller.api.ApiFixture;
import dev.ferry.testing.TestManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FerryctlTest extends CliTestCase {

  static String app(String name, String labels, String disk) {
    return TestManifests.redisApp(name, labels, disk);
  }

  static Path write(String name, String text) throws Exception {
    Path file = temp.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  @Test
  void applyPrintsCreatedThenUnchangedThenConfigured() throws Exception {
    Path file = write("apply/db.yaml", app("cli-db", "{app: todo}", "spinning"));

    CliFixture.Run created = ferry.run("apply", "-f", file.toString());
    CliFixture.Run unchanged = ferry.run("apply", "-f", file.toString());
    write("apply/db.yaml", app("cli-db", "{app: todo}", "ssd"));
    CliFixture.Run configured = ferry.run("apply", "-f", file.toString());

    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).isEqualTo("statefulapp/cli-db created\n");
    assertThat(unchanged.out()).isEqualTo("statefulapp/cli-db unchanged\n");
    assertThat(configured.out()).isEqualTo("statefulapp/cli-db configured\n");
  }

  @Test
  void applyReadsFoldersRecursivelyAndStdin() throws Exception {
    write("tree/a.yaml", app("tree-a", "{}", "ssd"));
    write("tree/sub/b.yml", app("tree-b", "{}", "ssd"));

    CliFixture.Run flat = ferry.run("apply", "-f", temp.resolve("tree").toString());
    CliFixture.Run deep = ferry.run("apply", "-R", "-f", temp.resolve("tree").toString());
    CliFixture.Run stdin = ferry.runWith(Map.of(), app("tree-c", "{}", "ssd"), "apply", "-f", "-");

    assertThat(flat.out()).isEqualTo("statefulapp/tree-a created\n");
    assertThat(deep.out()).isEqualTo("statefulapp/tree-a unchanged\nstatefulapp/tree-b created\n");
    assertThat(stdin.out()).isEqualTo("statefulapp/tree-c created\n");
  }

  @Test
  void aFolderWithManifestsOnlyInSubfoldersSaysToAddR() throws Exception {
    write("nested/todomvc/db.yaml", app("nested-db", "{}", "ssd"));

    CliFixture.Run flat = ferry.run("apply", "-f", temp.resolve("nested").toString());

    assertThat(flat.exit()).isEqualTo(1);
    assertThat(flat.err()).contains("has manifests only in subfolders; add -R to read them");
    assertThat(ferry.run("get", "statefulapp", "nested-db").exit()).isEqualTo(1);
  }

  @Test
  void dryRunsWriteNothing() throws Exception {
    Path file = write("dry/db.yaml", app("dry-db", "{}", "ssd"));

    CliFixture.Run client = ferry.run("apply", "--dry-run=client", "-f", file.toString());
    CliFixture.Run server = ferry.run("apply", "--dry-run=server", "-f", file.toString());

    assertThat(client.out()).isEqualTo("statefulapp/dry-db valid (dry run)\n");
    assertThat(server.out()).isEqualTo("statefulapp/dry-db created (server dry run)\n");
    assertThat(ferry.run("get", "statefulapp", "dry-db").exit()).isEqualTo(1);
  }

  @Test
  void pruneDeletesWhatLeftTheFilesAndMatchesTheSelector() throws Exception {
    write("prune/a.yaml", app("prune-a", "{set: p}", "ssd"));
    write("prune/b.yaml", app("prune-b", "{set: p}", "ssd"));
    ferry.run("apply", "-f", temp.resolve("prune").toString());
    ferry.run("apply", "-f", write("other.yaml", app("prune-other", "{set: q}", "ssd")).toString());
    Files.delete(temp.resolve("prune/b.yaml"));

    CliFixture.Run refused = ferry.run("apply", "--prune", "-f", temp.resolve("prune").toString());
    CliFixture.Run pruned = ferry.run("apply", "--prune", "-l", "set=p", "-f", temp.resolve("prune").toString());

    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("--prune needs -l");
    assertThat(pruned.out()).isEqualTo("statefulapp/prune-a unchanged\nstatefulapp/prune-b pruned\n");
    assertThat(ferry.run("get", "statefulapps", "-o", "name", "-l", "set in (p,q)").out())
        .isEqualTo("statefulapp/prune-a\nstatefulapp/prune-other\n");
  }

  @Test
  void diffExitsZeroWhenEqualOneWhenDifferentTwoOnError() throws Exception {
    Path file = write("diff/db.yaml", app("diff-db", "{}", "spinning"));
    CliFixture.Run missing = ferry.run("diff", "-f", file.toString());
    ferry.run("apply", "-f", file.toString());
    CliFixture.Run same = ferry.run("diff", "-f", file.toString());
    write("diff/db.yaml", app("diff-db", "{}", "ssd"));
    CliFixture.Run changed = ferry.run("diff", "-f", file.toString());
    CliFixture.Run broken = ferry.runWith(Map.of("FERRY_SERVER", "http://127.0.0.1:1"), "", "diff", "-f", file.toString());

    assertThat(missing.exit()).isEqualTo(1);
    assertThat(same.exit()).as(same.out() + same.err()).isZero();
    assertThat(same.out()).isEmpty();
    assertThat(changed.exit()).isEqualTo(1);
    assertThat(changed.out()).contains("--- live/statefulapp/diff-db", "+++ merged/statefulapp/diff-db");
    assertThat(changed.out().lines()).anyMatch(l -> l.startsWith("-") && l.endsWith("- spinning"))
        .anyMatch(l -> l.startsWith("+") && l.endsWith("- ssd"));
    assertThat(broken.exit()).isEqualTo(2);
  }

  @Test
  void diffUsageErrorsExitTwoWhereOtherCommandsExitOne() {
    CliFixture.Run diff = ferry.run("diff");
    CliFixture.Run apply = ferry.run("apply");

    assertThat(diff.exit()).as(diff.err()).isEqualTo(2);
    assertThat(diff.err()).contains("--filename");
    assertThat(apply.exit()).as(apply.err()).isEqualTo(1);
  }

  @Test
  void getPrintsTablesYamlJsonAndNames() throws Exception {
    ferry.run("apply", "-f", write("get/db.yaml", app("get-db", "{tier: db}", "ssd")).toString());

    CliFixture.Run table = ferry.run("get", "statefulapps", "-l", "tier=db");
    CliFixture.Run wide = ferry.run("get", "StatefulApp", "get-db", "-o", "wide");
    CliFixture.Run yaml = ferry.run("get", "statefulapp", "get-db", "-o", "yaml");
    CliFixture.Run json = ferry.run("get", "statefulapps", "-l", "tier=db", "-o", "json");
    CliFixture.Run unknown = ferry.run("get", "pods");
    CliFixture.Run none = ferry.run("get", "statefulapps", "-l", "tier=nothing");

    assertThat(table.out()).startsWith("NAME").contains("get-db").contains("AGE");
    assertThat(wide.out()).contains("PLACEMENT").contains("disk:LIKE:ssd");
    assertThat(yaml.out()).contains("kind: StatefulApp").contains("name: get-db");
    JsonNode list = Json.json().readTree(json.out());
    assertThat(list.path("kind").asText()).isEqualTo("List");
    assertThat(list.at("/items/0/metadata/name").asText()).isEqualTo("get-db");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("doesn't have a resource type \"pods\"");
    assertThat(none.out()).isEqualTo("No statefulapps found.\n");
  }

  @Test
  void getDescribeAndMigrateSayNotFoundAsKubectl() {
    CliFixture.Run get = ferry.run("get", "statefulapp", "no-such-app");
    CliFixture.Run describe = ferry.run("describe", "dataset", "no-such-data");
    CliFixture.Run migrate = ferry.run("migrate", "no-such-app", "--to", "node2");

    assertThat(get.exit()).isEqualTo(1);
    assertThat(get.err()).isEqualTo("Error from server (NotFound): statefulapps \"no-such-app\" not found\n");
    assertThat(describe.exit()).isEqualTo(1);
    assertThat(describe.err()).isEqualTo("Error from server (NotFound): datasets \"no-such-data\" not found\n");
    assertThat(migrate.exit()).isEqualTo(1);
    assertThat(migrate.err()).isEqualTo("Error from server (NotFound): statefulapps \"no-such-app\" not found\n");
  }

  @Test
  void getWatchSeesAChange() throws Exception {
    ferry.run("apply", "-f", write("watch/db.yaml", app("watch-db", "{}", "spinning")).toString());

    try (CliFixture.Background watch = ferry.background("get", "statefulapps", "watch-db", "-w", "-o", "json")) {
      await().atMost(Duration.ofSeconds(20)).until(() -> watch.output().contains("spinning"));
      ferry.run("apply", "-f", write("watch/db.yaml", app("watch-db", "{}", "ssd")).toString());
      await().atMost(Duration.ofSeconds(20)).until(() -> watch.output().contains("\"ssd\""));
    }
  }

  @Test
  void deleteMigrateDescribeEventsAndVersion() throws Exception {
    ferry.run("apply", "-f", write("misc/db.yaml", app("misc-db", "{}", "ssd")).toString());

    CliFixture.Run describe = ferry.run("describe", "statefulapp", "misc-db");
    CliFixture.Run migrate = ferry.run("migrate", "misc-db", "--to", "node2");
    CliFixture.Run events = ferry.run("events");
    CliFixture.Run version = ferry.run("version");
    CliFixture.Run deleted = ferry.run("delete", "statefulapp", "misc-db", "--wait");
    CliFixture.Run gone = ferry.run("delete", "statefulapp", "misc-db");

    assertThat(describe.out()).contains("Name:            misc-db").contains("Conditions:").contains("Events:").contains("Migration:");
    assertThat(migrate.exit()).isEqualTo(1);
    assertThat(migrate.err()).contains("not placed on a node yet");
    assertThat(events.exit()).isZero();
    assertThat(version.out()).contains("Client Version:").contains("Server Version:");
    assertThat(deleted.out()).isEqualTo("statefulapp/misc-db deleted\n");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err()).contains("NotFound");
  }

  @Test
  void eventsForAnObjectAndDescribeShowThatObjectsEventsOnly() throws Exception {
    ferry.run("apply", "-f", write("events/db.yaml", app("ev-db", "{}", "ssd")).toString());
    EventRecorder recorder = new EventRecorder(ferry.api.store, "test", Clock.systemUTC());
    ObjectReference app = new ObjectReference("StatefulApp", "ev-db", "");
    recorder.normal(app, "Wanted", "about statefulapp/ev-db").join();
    recorder.normal(new ObjectReference("StatefulApp", "ev-db-2", ""), "OtherApp", "about statefulapp/ev-db-2").join();
    recorder.normal(new ObjectReference("Node", "ev-db", ""), "OtherKind", "about node/ev-db").join();

    CliFixture.Run all = ferry.run("events");
    CliFixture.Run mine = ferry.run("events", "--for", "StatefulApp/ev-db");
    CliFixture.Run describe = ferry.run("describe", "statefulapp", "ev-db");
    CliFixture.Run malformed = ferry.run("events", "--for", "ev-db");

    assertThat(all.out()).contains("Wanted", "OtherApp", "OtherKind");
    assertThat(mine.exit()).as(mine.err()).isZero();
    assertThat(mine.out()).startsWith("LAST SEEN").contains("Wanted", "statefulapp/ev-db").doesNotContain("OtherApp", "OtherKind");
    assertThat(describe.out()).contains("Wanted").doesNotContain("OtherApp", "OtherKind");
    assertThat(malformed.exit()).isEqualTo(1);
    assertThat(malformed.err()).contains("--for wants KIND/NAME");
    try (CliFixture.Background watch = ferry.background("events", "-w", "--for", "statefulapp/ev-db")) {
      await().atMost(Duration.ofSeconds(20)).until(() -> watch.output().contains("Wanted"));
      recorder.normal(new ObjectReference("StatefulApp", "ev-db-2", ""), "LaterOther", "about statefulapp/ev-db-2").join();
      recorder.normal(app, "LaterWanted", "about statefulapp/ev-db").join();
      await().atMost(Duration.ofSeconds(20)).until(() -> watch.output().contains("LaterWanted"));
      assertThat(watch.output()).doesNotContain("OtherApp", "OtherKind", "LaterOther");
    }
  }

  @Test
  void aContextKeepsItsCertificateAuthorityAndABadOneIsNamedBeforeAnyRequest() throws Exception {
    java.nio.file.Path junk = java.nio.file.Files.createTempFile("ferryctl-ca", ".crt");
    java.nio.file.Path config = junk.resolveSibling(junk.getFileName() + ".config");
    // A contexts file of its own: the class's is contextsAndTokens'.
    Map<String, String> noEnv = Map.of("FERRY_SERVER", "", "FERRY_TOKEN", "", "FERRY_CONFIG", config.toString());
    try {
      java.nio.file.Files.writeString(junk, "not a certificate\n");
      CliFixture.Run set = ferry.runWith(noEnv, "", "config", "set-context", "tls", "--server", ferry.api.url(),
          "--token", ApiFixture.VIEW, "--certificate-authority", junk.toString());
      CliFixture.Run view = ferry.runWith(noEnv, "", "config", "view", "-o", "json");
      CliFixture.Run bad = ferry.runWith(noEnv, "", "get", "statefulapps", "--context", "tls");

      assertThat(set.exit()).as(set.err()).isZero();
      assertThat(view.out()).contains("\"certificate-authority\" : \"" + junk + "\"");
      assertThat(bad.exit()).isEqualTo(1);
      assertThat(bad.err()).contains("certificate-authority: ", junk + " holds no PEM certificate");
    } finally {
      java.nio.file.Files.deleteIfExists(junk);
      java.nio.file.Files.deleteIfExists(config);
    }
  }

  @Test
  void contextsAndTokens() {
    Map<String, String> noEnv = Map.of("FERRY_SERVER", "", "FERRY_TOKEN", "");

    CliFixture.Run set = ferry.runWith(noEnv, "", "config", "set-context", "test", "--server", ferry.api.url(), "--token", ApiFixture.VIEW);
    CliFixture.Run view = ferry.runWith(noEnv, "", "config", "view", "-o", "json");
    CliFixture.Run readable = ferry.runWith(noEnv, "", "get", "statefulapps");
    CliFixture.Run notAllowed = ferry.runWith(noEnv, "", "delete", "statefulapp", "anything");
    CliFixture.Run badToken = ferry.runWith(noEnv, "", "get", "statefulapps", "--token", "wrong-token-0123456789");
    CliFixture.Run current = ferry.runWith(noEnv, "", "config", "current-context");

    assertThat(set.exit()).isZero();
    assertThat(view.out()).contains("\"current-context\" : \"test\"").contains("REDACTED").doesNotContain(ApiFixture.VIEW);
    assertThat(readable.exit()).as(readable.err()).isZero();
    assertThat(notAllowed.exit()).isEqualTo(1);
    assertThat(notAllowed.err()).contains("Forbidden");
    assertThat(badToken.err()).contains("Unauthorized");
    assertThat(current.out()).isEqualTo("test\n");
  }
}
