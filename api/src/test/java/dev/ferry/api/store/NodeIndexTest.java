package dev.ferry.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.DatasetStatus;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Quantity;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which nodes an object concerns: the table the node index is kept by. */
class NodeIndexTest {

  /** primary, copies (comma-separated), owning migration's from->to ("" for none), the nodes. */
  static Stream<Arguments> datasets() {
    return Stream.of(
        Arguments.of("not placed yet", "", "", "", ""),
        Arguments.of("created on its primary", "node1", "", "", "node1"),
        Arguments.of("primary with its copy", "node1", "node1", "", "node1"),
        Arguments.of("a standby copy elsewhere", "node1", "node1,node3", "", "node1,node3"),
        Arguments.of("moving to a target without a copy yet", "node1", "node1", "node1->node2", "node1,node2"),
        Arguments.of("the target reported its copy", "node1", "node1,node2", "node1->node2", "node1,node2"),
        Arguments.of("switched, the move not ended", "node2", "node1,node2", "node1->node2", "node1,node2"),
        Arguments.of("ended, the source's copy kept", "node2", "node1,node2", "", "node1,node2"),
        Arguments.of("ended, the source's copy gone", "node2", "node2", "", "node2"),
        Arguments.of("a copy lost on its primary", "node1", "", "", "node1"),
        Arguments.of("a third node's copy while moving", "node1", "node1,node3", "node1->node2", "node1,node2,node3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("datasets")
  void aDatasetConcernsItsPrimaryItsCopiesAndItsMovesEnds(String why, String primary, String copies, String move,
      String nodes) {
    Map<String, DatasetCopy> held = split(copies).stream()
        .collect(Collectors.toMap(n -> n, n -> new DatasetCopy(List.of(), 0, 0, false, false, null)));
    Dataset d = new Dataset(ObjectMeta.named("db"), new DatasetSpec(Quantity.parse("1Gi"), primary,
        move.isEmpty() ? "" : "db-1", null)).withStatus(DatasetStatus.EMPTY.withCopies(held));
    Optional<MigrationSpec> owner = move.isEmpty() ? Optional.empty()
        : Optional.of(migration(move.split("->")[0], move.split("->")[1]).spec());

    assertThat(NodeIndex.nodes(d, owner)).containsExactlyInAnyOrderElementsOf(split(nodes));
  }

  @Test
  void aMigrationConcernsItsSourceAndTargetOnly() {
    assertThat(NodeIndex.nodes(migration("node1", "node2"))).containsExactly("node1", "node2");
    // A user's manifest may leave the source to the API server.
    assertThat(NodeIndex.nodes(migration("", "node2"))).containsExactly("node2");
  }

  @Test
  void onlyDatasetsAndMigrationsAreIndexed() {
    assertThat(Kind.ALL.stream().filter(NodeIndex::indexes)).containsExactlyInAnyOrder(Kind.DATASET, Kind.MIGRATION);
  }

  @Test
  void theOwnerLookedUpIsTheMigrationADatasetNames() {
    Dataset owned = new Dataset(ObjectMeta.named("db"), new DatasetSpec(Quantity.parse("1Gi"), "node1", "db-7", null));
    Dataset free = owned.withSpec(new DatasetSpec(Quantity.parse("1Gi"), "node1", "", null));
    assertThat(NodeIndex.owner(owned)).contains("db-7");
    assertThat(NodeIndex.owner(free)).isEmpty();
    assertThat(NodeIndex.owner(migration("node1", "node2"))).isEmpty();
  }

  @Test
  void aHoldersListReadsBackAsWritten() {
    for (Set<String> nodes : List.of(Set.<String>of(), Set.of("node1"), Set.of("node1", "node2", "n-3"))) {
      assertThat(NodeIndexWrites.decode(NodeIndexWrites.encode(nodes))).isEqualTo(nodes);
    }
  }

  private static Migration migration(String from, String to) {
    return new Migration(ObjectMeta.named("db-1"), new MigrationSpec("db-app", "db", from, to, null, null, 0));
  }

  private static List<String> split(String csv) {
    return csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
  }
}
