package dev.ferry.agent.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.zfs.DatasetState;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.ReclaimPolicy;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The table of docs/migration-protocol.md, "What an agent does with a Dataset", row by row. */
class CopyPlanTest {

  private static final long SIZE = 1L << 30;
  private static final Optional<DatasetState> NONE = Optional.empty();
  private static final Optional<DatasetState> WRITABLE = copy(true, false, SIZE);
  private static final Optional<DatasetState> READONLY = copy(true, true, SIZE);
  private static final Optional<DatasetState> RECEIVED = copy(true, true, 0);
  private static final Optional<Migration> NO_MIGRATION = Optional.empty();

  static Stream<Arguments> table() {
    return Stream.of(
        row("primary here, no copy: create it", here(""), NO_MIGRATION, NONE, CopyAction.create(SIZE)),
        row("primary here, writable and mounted: leave it", here(""), NO_MIGRATION, WRITABLE,
            CopyAction.leave("the primary copy, mounted and writable")),
        row("primary here after a move: the received copy gets writable and its quota", here(""), NO_MIGRATION,
            RECEIVED, CopyAction.makePrimary(SIZE)),
        row("primary here, unmounted: mount it", here(""), NO_MIGRATION, copy(false, false, SIZE),
            CopyAction.makePrimary(SIZE)),
        row("primary here, a rolled-back migration left it read-only: writable again", here(""), NO_MIGRATION,
            READONLY, CopyAction.makePrimary(SIZE)),
        row("primary here, owned by a migration from here: the migration decides", here("m1"),
            migration("m1", "node1"), READONLY,
            CopyAction.leave("migration m1 from this node decides when the copy is read-only")),
        row("primary here, owned by an unseen migration: wait rather than unfence", here("m1"), NO_MIGRATION,
            READONLY, CopyAction.leave("owned by migration m1, not seen yet")),
        row("primary here, owned by a migration to here (moved back): writable", here("m2"),
            migration("m2", "node3"), READONLY, CopyAction.makePrimary(SIZE)),
        row("primary elsewhere, writable copy here: make it a standby", elsewhere(), NO_MIGRATION, WRITABLE,
            CopyAction.makeStandby()),
        row("primary elsewhere, read-only copy: leave it", elsewhere(), NO_MIGRATION, READONLY,
            CopyAction.leave("a read-only standby copy")),
        row("primary elsewhere, no copy: nothing", elsewhere(), NO_MIGRATION, NONE,
            CopyAction.leave("no copy here, not the primary")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String description, Dataset dataset, Optional<Migration> owner, Optional<DatasetState> local,
      CopyAction expected) {
    assertThat(CopyPlan.decide("node1", Optional.of(dataset), Optional.empty(), owner, local)).isEqualTo(expected);
  }

  static Stream<Arguments> deleted() {
    return Stream.of(
        row("deleted with Delete: destroy the copy", Optional.of(withPolicy(ReclaimPolicy.Delete)), WRITABLE,
            CopyAction.destroy()),
        row("deleted with Retain: the copy stays", Optional.of(withPolicy(ReclaimPolicy.Retain)), WRITABLE,
            CopyAction.leave("the Dataset was deleted with reclaimPolicy Retain: the copy stays")),
        row("gone while the agent was down: never destroyed by a missing key", Optional.empty(), WRITABLE,
            CopyAction.leave("no Dataset")),
        row("deleted with Delete and no copy here: nothing", Optional.of(withPolicy(ReclaimPolicy.Delete)), NONE,
            CopyAction.leave("no Dataset")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deleted")
  void destroysOnlyWhatTheDeletedDatasetAskedFor(String description, Optional<Dataset> seenDeleted,
      Optional<DatasetState> local, CopyAction expected) {
    assertThat(CopyPlan.decide("node1", Optional.empty(), seenDeleted, NO_MIGRATION, local)).isEqualTo(expected);
  }

  private static Arguments row(Object... cells) {
    return Arguments.of(cells);
  }

  private static Dataset here(String migration) {
    return dataset("node1", migration, ReclaimPolicy.Retain);
  }

  private static Dataset elsewhere() {
    return dataset("node2", "", ReclaimPolicy.Retain);
  }

  private static Dataset withPolicy(ReclaimPolicy policy) {
    return dataset("node1", "", policy);
  }

  private static Dataset dataset(String primary, String migration, ReclaimPolicy policy) {
    return new Dataset(ObjectMeta.named("db"), new DatasetSpec(Quantity.ofBytes(SIZE), primary, migration, policy));
  }

  private static Optional<Migration> migration(String name, String from) {
    return Optional.of(new Migration(ObjectMeta.named(name), new MigrationSpec("app", "db", from, "node9", null, null, 0)));
  }

  private static Optional<DatasetState> copy(boolean mounted, boolean readonly, long refquota) {
    return Optional.of(new DatasetState(1, 1, refquota, mounted, readonly, Optional.of("/data/db")));
  }
}
