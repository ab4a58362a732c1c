package dev.ferry.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.StatefulApp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RoundTripTest {

  static Stream<Kind<?, ?, ?>> kinds() {
    return Kind.ALL.stream();
  }

  static String sample(Kind<?, ?, ?> kind) throws IOException {
    String name = "/objects/" + kind.name().toLowerCase(Locale.ROOT) + ".yaml";
    try (InputStream in = RoundTripTest.class.getResourceAsStream(name)) {
      assertThat(in).as("sample %s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyKindSurvivesYamlAndJson(Kind<?, ?, ?> kind) throws IOException {
    FerryObject<?, ?, ?> original = Manifests.readStored(sample(kind)).get(0);
    assertThat(original).isInstanceOf(kind.type());

    FerryObject<?, ?, ?> viaYaml = Manifests.readStored(Manifests.toYaml(original)).get(0);
    FerryObject<?, ?, ?> viaJson = Manifests.readStored(Manifests.toJson(original)).get(0);

    assertThat(viaYaml).isEqualTo(original);
    assertThat(viaJson).isEqualTo(original);
    assertThat(Manifests.toYaml(viaYaml)).isEqualTo(Manifests.toYaml(original));
  }

  @Test
  void aGitSourceOnABranchWithoutASecretReadsBackAsWritten() throws IOException {
    String written = sample(Kind.GIT_SOURCE).replace("  ref:\n    tag: v1.2\n", "  branch: main\n")
        .replace("  suspend: true\n  secretRef:\n    name: cluster-config\n", "");
    FerryObject<?, ?, ?> original = Manifests.readStored(written).get(0);
    String yaml = Manifests.toYaml(original);
    assertThat(yaml).contains("branch: main").doesNotContain("ref:").doesNotContain("secretRef").doesNotContain("suspend");
    assertThat(Manifests.readStored(yaml).get(0)).isEqualTo(original);
  }

  @Test
  void readsWhatTheDemoManifestSays() throws IOException {
    StatefulApp app = Kind.STATEFUL_APP.cast(Manifests.readStored(sample(Kind.STATEFUL_APP)).get(0));

    assertThat(app.name()).isEqualTo("todos-db");
    assertThat(app.metadata().labels()).containsEntry("app", "todomvc");
    assertThat(app.spec().app().path("mem").asInt()).isEqualTo(256);
    assertThat(app.spec().datasetRef()).hasValueSatisfying(d -> {
      assertThat(d.name()).isEqualTo("todos-data");
      assertThat(d.size().bytes()).isEqualTo(1L << 30);
      assertThat(d.mountPath()).isEqualTo("/data");
    });
    assertThat(app.spec().placement().constraints()).containsExactly(List.of("disk", "LIKE", "spinning"));
    assertThat(app.spec().migration().maxFinalDelta()).isEqualTo(Quantity.mebibytes(64));
    assertThat(app.status().conditions()).singleElement().satisfies(c -> assertThat(c.isTrue()).isTrue());
  }

  @Test
  void migrationKeepsItsRoundsAndDowntime() throws IOException {
    Migration m = Kind.MIGRATION.cast(Manifests.readStored(sample(Kind.MIGRATION)).get(0));

    assertThat(m.status().phase()).isEqualTo(MigrationPhase.Succeeded);
    assertThat(m.status().rounds()).hasSize(2);
    assertThat(m.status().rounds().get(1).duration()).isEqualTo(Duration.ofMillis(150));
    assertThat(m.status().downtime()).isEqualTo(Duration.ofSeconds(3));
    assertThat(Manifests.toYaml(m)).contains("downtime: 3s").contains("duration: 150ms");
  }

  @Test
  void readsSeveralDocumentsInOrder() throws IOException {
    String file = sample(Kind.DATASET) + "---\n" + sample(Kind.GIT_SOURCE) + "\n---\n";

    List<FerryObject<?, ?, ?>> objects = Manifests.readStored(file);

    assertThat(objects).extracting(FerryObject::kind).containsExactly("Dataset", "GitSource");
    Dataset d = Kind.DATASET.cast(objects.get(0));
    assertThat(d.status().copies().get("node1").snapshots()).extracting(s -> s.guid())
        .containsExactly("1234567890123", "9876543210987");
  }

  @Test
  void writesYamlWithoutEmptyFields() throws IOException {
    StatefulApp app = Kind.STATEFUL_APP.cast(Manifests.read(sample(Kind.STATEFUL_APP).replaceAll("(?s)\nstatus:.*", "\n")).get(0));

    String yaml = Manifests.toYaml(app);

    assertThat(yaml).startsWith("apiVersion: ferry/v1\nkind: StatefulApp\nmetadata:\n  name: todos-db\n");
    assertThat(yaml).doesNotContain("uid").doesNotContain("status").doesNotContain("null");
    assertThat(yaml).contains("size: 1Gi");
  }
}
