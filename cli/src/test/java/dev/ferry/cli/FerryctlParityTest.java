package dev.ferry.cli;

import static dev.ferry.cli.FerryctlTest.app;
import static dev.ferry.cli.FerryctlTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.events.EventRecorder;
import dev.ferry.api.model.ObjectReference;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verbs kubectl users reach for: delete -f/-l, diff hunks, get --sort-by, explain, api-resources. */
class FerryctlParityTest extends CliTestCase {

  @Test
  void deleteTakesFilesFoldersStdinAndSelectors() throws Exception {
    Path one = write("del/one.yaml", app("del-one", "{set: del}", "ssd"));
    write("del/tree/two.yaml", app("del-two", "{set: del}", "ssd"));
    write("del/tree/deeper/three.yaml", app("del-three", "{set: del}", "ssd"));
    ferry.run("apply", "-R", "-f", temp.resolve("del").toString());
    ferry.run("apply", "-f", write("keep.yaml", app("del-keep", "{set: keep}", "ssd")).toString());
    ferry.run("apply", "-f", write("sel.yaml", app("del-sel", "{set: sel}", "ssd")).toString());
    ferry.run("apply", "-f", write("sel2.yaml", app("del-sel2", "{set: sel2}", "ssd")).toString());

    CliFixture.Run byFile = ferry.run("delete", "-f", one.toString());
    CliFixture.Run byFolder = ferry.run("delete", "-R", "-f", temp.resolve("del/tree").toString());
    CliFixture.Run again = ferry.run("delete", "-f", one.toString());
    CliFixture.Run byStdin = ferry.runWith(Map.of(), app("del-keep", "{set: keep}", "ssd"), "delete", "-f", "-");
    CliFixture.Run bySelector = ferry.run("delete", "statefulapps", "-l", "set=sel");
    CliFixture.Run anyKind = ferry.run("delete", "-l", "set=sel2");
    CliFixture.Run nothing = ferry.run("delete", "sa", "-l", "set=none");
    CliFixture.Run mixed = ferry.run("delete", "statefulapp", "x", "-f", one.toString());

    assertThat(byFile.exit()).as(byFile.err()).isZero();
    assertThat(byFile.out()).isEqualTo("statefulapp/del-one deleted\n");
    assertThat(byFolder.out()).isEqualTo("statefulapp/del-three deleted\nstatefulapp/del-two deleted\n");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("Error from server (NotFound): statefulapps \"del-one\" not found\n");
    assertThat(byStdin.out()).isEqualTo("statefulapp/del-keep deleted\n");
    assertThat(bySelector.out()).isEqualTo("statefulapp/del-sel deleted\n");
    assertThat(anyKind.out()).isEqualTo("statefulapp/del-sel2 deleted\n");
    assertThat(nothing.out()).isEqualTo("No resources found\n");
    assertThat(mixed.exit()).isEqualTo(1);
    assertThat(mixed.err()).contains("not several");
    assertThat(ferry.run("get", "statefulapps", "-l", "set in (del,keep,sel,sel2)").out()).isEqualTo("No statefulapps found.\n");
  }

  @Test
  void deleteByNameOfAMissingObjectSaysNotFoundAsGetDoes() {
    CliFixture.Run delete = ferry.run("delete", "statefulapp", "never-there");
    CliFixture.Run get = ferry.run("get", "statefulapp", "never-there");

    assertThat(delete.exit()).isEqualTo(1);
    assertThat(delete.err()).isEqualTo("Error from server (NotFound): statefulapps \"never-there\" not found\n")
        .isEqualTo(get.err());
  }

  @Test
  void diffPrintsHunksWithContextNotTheWholeObject() throws Exception {
    Path file = write("hunk/db.yaml", app("hunk-db", "{}", "spinning"));
    ferry.run("apply", "-f", file.toString());
    write("hunk/db.yaml", app("hunk-db", "{}", "ssd"));

    CliFixture.Run changed = ferry.run("diff", "-f", file.toString());
    String live = ferry.run("get", "statefulapp", "hunk-db", "-o", "yaml").out();

    assertThat(changed.exit()).isEqualTo(1);
    assertThat(changed.out().lines().toList()).startsWith("--- live/statefulapp/hunk-db", "+++ merged/statefulapp/hunk-db");
    assertThat(changed.out().lines()).filteredOn(l -> l.startsWith("@@ ")).singleElement().asString()
        .matches("@@ -\\d+,\\d+ \\+\\d+,\\d+ @@");
    assertThat(changed.out().lines()).filteredOn(l -> l.startsWith(" ")).isNotEmpty();
    // Three lines of context either side, not the whole object: its name is far from the change.
    assertThat(changed.out()).doesNotContain("name: hunk-db\n");
    assertThat(live).contains("name: hunk-db\n");
  }

  @Test
  void getSortsByAFieldPath() throws Exception {
    ferry.run("apply", "-f", write("sort/a.yaml", app("sort-a", "{set: sort, rank: '2'}", "ssd")).toString());
    ferry.run("apply", "-f", write("sort/b.yaml", app("sort-b", "{set: sort, rank: '3'}", "ssd")).toString());
    ferry.run("apply", "-f", write("sort/c.yaml", app("sort-c", "{set: sort, rank: '1'}", "ssd")).toString());
    ferry.run("apply", "-f", write("sort/d.yaml", app("sort-d", "{set: sort}", "ssd")).toString());

    CliFixture.Run byRank = ferry.run("get", "statefulapps", "-l", "set=sort", "--sort-by=.metadata.labels.rank", "-o", "name");
    CliFixture.Run braces = ferry.run("get", "statefulapps", "-l", "set=sort", "--sort-by", "{.metadata.labels.rank}");
    CliFixture.Run bad = ferry.run("get", "statefulapps", "--sort-by", "metadata name");

    assertThat(byRank.exit()).as(byRank.err()).isZero();
    assertThat(byRank.out()).isEqualTo("statefulapp/sort-c\nstatefulapp/sort-a\nstatefulapp/sort-b\nstatefulapp/sort-d\n");
    assertThat(braces.out().lines().skip(1).map(l -> l.split(" ")[0]).toList())
        .containsExactly("sort-c", "sort-a", "sort-b", "sort-d");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("--sort-by: 'metadata name' is not a field path");
  }

  @Test
  void getEventsListsThemInTimeOrderAsEventsDoes() {
    Instant now = Instant.now();
    // Names sort by the object they are about: ord-a's event comes first by name, last by time.
    new EventRecorder(ferry.api.store, "test", Clock.fixed(now.minusSeconds(600), ZoneOffset.UTC))
        .normal(new ObjectReference("StatefulApp", "ord-b", ""), "Earlier", "first").join();
    new EventRecorder(ferry.api.store, "test", Clock.fixed(now.minusSeconds(300), ZoneOffset.UTC))
        .normal(new ObjectReference("StatefulApp", "ord-a", ""), "Later", "second").join();

    CliFixture.Run get = ferry.run("get", "events", "-l", "ferry.dev/name in (ord-a,ord-b)");
    CliFixture.Run events = ferry.run("events");

    assertThat(get.out()).contains("Earlier", "Later");
    assertThat(get.out().indexOf("Earlier")).isLessThan(get.out().indexOf("Later"));
    assertThat(events.out().indexOf("Earlier")).isLessThan(events.out().indexOf("Later"));
  }

  @Test
  void explainPrintsAFieldsTypeDescriptionAndSubFields() {
    CliFixture.Run dataset = ferry.run("explain", "statefulapp.spec.dataset");
    CliFixture.Run kind = ferry.run("explain", "migrations");
    CliFixture.Run leaf = ferry.run("explain", "statefulapp.spec.dataset.size");
    CliFixture.Run unknown = ferry.run("explain", "statefulapp.spec.datset");
    CliFixture.Run unknownKind = ferry.run("explain", "pods.spec");

    assertThat(dataset.exit()).as(dataset.err()).isZero();
    assertThat(dataset.out()).startsWith("KIND:     StatefulApp\nVERSION:  ferry/v1\n\nFIELD:    dataset <Object>\n")
        .contains("DESCRIPTION:\n    The ZFS dataset")
        .contains("  name\t<string> -required-\n    A DNS-1123 label")
        .contains("  mountPath\t<string>\n")
        .contains("  reclaimPolicy\t<string>\n");
    assertThat(kind.out()).contains("KIND:     Migration").contains("  spec\t<Object> -required-").contains("  status\t<Object>");
    assertThat(leaf.out()).contains("FIELD:    size <string or integer>").contains("64Mi").doesNotContain("FIELDS:");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("error: field \"datset\" does not exist in statefulapp.spec:"
        + " its fields are app, dataset, placement, migration\n");
    assertThat(unknownKind.exit()).isEqualTo(1);
    assertThat(unknownKind.err()).contains("doesn't have a resource type \"pods\"");
  }

  @Test
  void apiResourcesListsKindsWithShortNamesThatCommandsTake() throws Exception {
    ferry.run("apply", "-f", write("short/db.yaml", app("short-db", "{set: short}", "ssd")).toString());

    CliFixture.Run resources = ferry.run("api-resources");
    CliFixture.Run byShortName = ferry.run("get", "sa", "-l", "set=short", "-o", "name");

    assertThat(resources.exit()).isZero();
    assertThat(resources.out().lines().toList()).hasSize(7);
    assertThat(resources.out().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", "VERBS");
    assertThat(resources.out().lines()).anyMatch(l -> l.split("\\s+").length == 6
        && String.join(" ", l.split("\\s+")).equals("statefulapps sa ferry/v1 false StatefulApp create,delete,get,list,update,watch"));
    assertThat(byShortName.out()).isEqualTo("statefulapp/short-db\n");
  }
}
