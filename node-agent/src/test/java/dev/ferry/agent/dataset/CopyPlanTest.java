package dev.ferry.agent.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.zfs.DatasetState;
import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.DatasetStatus;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.ReclaimPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The table of docs/migration-protocol.md, "What an agent does with a Dataset", row by row. */
class CopyPlanTest {

  private static final long SIZE = 1L << 30;
  private static final Optional<LocalCopy> NONE = Optional.empty();
  private static final Optional<LocalCopy> WRITABLE = copy(true, false, SIZE);
  private static final Optional<LocalCopy> READONLY = copy(true, true, SIZE);
  private static final Optional<LocalCopy> STANDBY = copy(false, true, SIZE);
  private static final Optional<LocalCopy> RECEIVED = copy(false, true, 0);
  private static final Optional<Migration> NO_MIGRATION = Optional.empty();
  private static final DatasetCopy REPORTED = new DatasetCopy(List.of(), 1, 1, true, false, Instant.EPOCH);

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
        row("primary here, mounted but the mount does not show the dataset's identity: mount it afresh", here(""),
            NO_MIGRATION, Optional.of(new LocalCopy(state(true, false, SIZE), false)), CopyAction.makePrimary(SIZE)),
        row("primary here, its identity recorded, no copy: lost, never re-created empty",
            withStatus(here(""), Map.of(), "4711"), NO_MIGRATION, NONE,
            CopyAction.lost("the Dataset records identity 4711")),
        row("primary here, a copy was reported, none here: lost", withStatus(here(""), Map.of("node1", REPORTED), ""),
            NO_MIGRATION, NONE, CopyAction.lost("copies were reported on node1")),
        row("primary here, only another node reported a copy: lost, not created empty beside it",
            withStatus(here(""), Map.of("node2", REPORTED), ""), NO_MIGRATION, NONE,
            CopyAction.lost("copies were reported on node2")),
        row("primary here, found lost before: stays lost", lostBefore(), NO_MIGRATION, NONE,
            CopyAction.lost("it was found lost before")),
        row("primary here, its identity recorded and the copy here: made the primary as usual",
            withStatus(here(""), Map.of(), "4711"), NO_MIGRATION, RECEIVED, CopyAction.makePrimary(SIZE)),
        row("primary elsewhere, writable copy here: make it a standby", elsewhere(), NO_MIGRATION, WRITABLE,
            CopyAction.makeStandby()),
        row("primary elsewhere, read-only but mounted copy: unmount it, a standby is never mounted", elsewhere(),
            NO_MIGRATION, READONLY, CopyAction.makeStandby()),
        row("primary elsewhere, read-only unmounted copy: leave it", elsewhere(), NO_MIGRATION, STANDBY,
            CopyAction.leave("a read-only, unmounted standby copy")),
        row("primary elsewhere, no copy: nothing", elsewhere(), NO_MIGRATION, NONE,
            CopyAction.leave("no copy here, not the primary")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String description, Dataset dataset, Optional<Migration> owner, Optional<LocalCopy> local,
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
      Optional<LocalCopy> local, CopyAction expected) {
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

  private static Dataset withStatus(Dataset d, Map<String, DatasetCopy> copies, String identity) {
    return d.withStatus(new DatasetStatus(0, copies, List.of(), identity));
  }

  private static Dataset lostBefore() {
    return here("").withStatus(new DatasetStatus(0, Map.of(), List.of(new Condition(CopyPlan.AVAILABLE, Condition.FALSE,
        CopyPlan.COPY_LOST, "lost", Instant.EPOCH, 0)), ""));
  }

  /** A copy that ZFS reports so; its mount shows the dataset whenever it is mounted. */
  private static Optional<LocalCopy> copy(boolean mounted, boolean readonly, long refquota) {
    return Optional.of(new LocalCopy(state(mounted, readonly, refquota), mounted));
  }

  private static DatasetState state(boolean mounted, boolean readonly, long refquota) {
    return new DatasetState(1, 1, refquota, mounted, readonly, Optional.of("/data/db"));
  }
}
