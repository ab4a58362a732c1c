package dev.ferry.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.validation.ValidationException;
import dev.ferry.testing.HostileManifests;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ManifestReaderTest {

  private final ManifestReader reader = new ManifestReader();

  @Test
  void refusesDuplicateKeysNamingTheKey() {
    assertThatThrownBy(() -> reader.read("metadata:\n  name: a\n  name: b\n"))
        .isInstanceOf(ValidationException.class)
        .hasMessage("document 1 is invalid:\n  metadata.name: duplicate key");
  }

  @Test
  void aDuplicateKeyDoesNotHideTheObjectsOtherErrors() {
    String manifest = """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: todos-db}
        spec:
          app: {cmd: redis-server, instances: 1, cpu: 1}
          dataset: {name: todos-data, size: 1Gi, mountPath: /data, mountPath: /srv}
        """;

    assertThatThrownBy(() -> Manifests.objectReader().read(manifest))
        .isInstanceOf(ValidationException.class)
        .hasMessage("document 1 is invalid:\n"
            + "  spec.app.cpu: unknown field: did you mean 'cpus'?\n"
            + "  spec.dataset.mountPath: duplicate key");
  }

  @Test
  void refusesMoreThanFiftyAliases() {
    String anchors = "base: &b {x: 1}\n";
    String fifty = IntStream.range(0, 50).mapToObj(i -> "k" + i + ": *b").collect(Collectors.joining("\n"));

    assertThat(reader.read(anchors + fifty)).hasSize(1);
    assertThatThrownBy(() -> reader.read(anchors + fifty + "\nk50: *b\n"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("document 1 is invalid:\n  uses more than 50 aliases");
  }

  @Test
  void refusesTheBillionLaughsWithoutExpandingIt() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      String prev = "*a" + (i - 1);
      yaml.append("a").append(i).append(": &a").append(i).append(" [")
          .append(String.join(", ", List.of(prev, prev, prev, prev, prev, prev, prev, prev, prev))).append("]\n");
    }

    // The nodes it would expand to pass the limit (at a5) before the aliases do (at a6).
    assertThatThrownBy(() -> reader.read(yaml.toString()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("document 1 is invalid:\n  a5[0]: expands to more than 100000 nodes");
  }

  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void refusesSixteenAnchorsOfThreeAliasesInWellUnderASecond() {
    // 48 aliases, fewer than the 50 allowed, that expand to 3^16 nodes.
    String bomb = HostileManifests.aliasBomb(17, 3);
    assertThat(bomb.length()).isLessThan(1000);

    long started = System.nanoTime();
    assertThatThrownBy(() -> reader.read(bomb))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("document 1 is invalid:\n  spec.a9[1]: expands to more than 100000 nodes");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
  }

  @Test
  void countsWhatAnAliasRepeatsAgainstTheNodeLimit() {
    ManifestReader small = new ManifestReader(new YamlLimits(1 << 20, 50, 64, 10, 14));
    // Keys count: the top mapping, a, its mapping, x, 1, y, 2, then b and the 5 nodes *m repeats, then c.
    assertThat(small.read("a: &m {x: 1, y: 2}\nb: *m\n")).hasSize(1);
    assertThatThrownBy(() -> small.read("a: &m {x: 1, y: 2}\nb: *m\nc: *m\n"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("c: expands to more than 14 nodes");
  }

  @Test
  void refusesNestingDeeperThanSixtyFour() {
    assertThat(reader.read("[".repeat(64) + "]".repeat(64))).hasSize(1);
    assertThatThrownBy(() -> reader.read("[".repeat(65) + "]".repeat(65)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("nests deeper than 64 levels");
  }

  @Test
  void refusesADocumentOverOneMebibyte() {
    String small = "note: " + "x".repeat(1000) + "\n";
    String big = "note: " + "x".repeat(1 << 20) + "\n";

    assertThat(reader.read(small + "---\n" + small)).hasSize(2);
    assertThatThrownBy(() -> reader.read(small + "---\n" + big))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("document 2 is invalid:\n  is 1048587 bytes, more than the limit of 1048576");
  }

  @Test
  void refusesAnOversizedScalarWithoutParsingIt() {
    String huge = "apiVersion: ferry/v1\nkind: StatefulApp\nnote: '" + "x".repeat(64 << 20) + "'\n";

    // Parsing a 64 MiB scalar would take SnakeYAML minutes; measured by characters it is refused
    // at once. The timeout guards against a parse sneaking back in.
    assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () ->
        assertThatThrownBy(() -> reader.read(huge))
            .isInstanceOf(ValidationException.class)
            .hasMessageContaining("document 1 is invalid:\n  is 67108912 bytes, more than the limit of 1048576"));
  }

  @Test
  void saysWhereTheSyntaxErrorIs() {
    assertThatThrownBy(() -> reader.read("a: 1\nb: [1, 2\nc: 3\n"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("document 1 is invalid:\n  is not valid YAML at line 3");
  }

  @Test
  void refusesCustomTags() {
    assertThatThrownBy(() -> reader.read("data: !!binary aGVsbG8=\n"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("data: tag tag:yaml.org,2002:binary is not supported");
  }

  @Test
  void refusesAliasesThatReferToThemselves() {
    assertThatThrownBy(() -> reader.read("a: &loop\n  b: *loop\n"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("refers to itself through an alias");
  }

  @Test
  void keepsNorwayAndOnAsStrings() {
    JsonNode tree = reader.readOne("country: NO\ndisk: on\nflag: true\ncount: 0x10\nratio: 1.5\nempty:\n");

    assertThat(tree.get("country").isTextual()).isTrue();
    assertThat(tree.get("disk").asText()).isEqualTo("on");
    assertThat(tree.get("flag").isBoolean()).isTrue();
    assertThat(tree.get("count").asInt()).isEqualTo(16);
    assertThat(tree.get("ratio").asDouble()).isEqualTo(1.5);
    assertThat(tree.get("empty").isNull()).isTrue();
  }

  @Test
  void honoursMergeKeysWithExplicitKeysWinning() {
    JsonNode tree = reader.readOne("base: &base {cpus: 1, mem: 128}\napp:\n  <<: *base\n  mem: 256\n");

    assertThat(tree.get("app").get("cpus").asInt()).isEqualTo(1);
    assertThat(tree.get("app").get("mem").asInt()).isEqualTo(256);
  }

  @Test
  void skipsEmptyDocumentsAndReadsJson() {
    assertThat(reader.read("---\n---\na: 1\n---\n")).hasSize(1);
    assertThat(reader.readOne("{\"a\": [1, \"two\"]}").get("a").get(1).asText()).isEqualTo("two");
  }
}
