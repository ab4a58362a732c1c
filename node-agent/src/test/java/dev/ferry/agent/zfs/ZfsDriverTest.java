package dev.ferry.agent.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.agent.dataset.MountUsers;
import dev.ferry.agent.testing.DataFiles;
import dev.ferry.agent.testing.FileHolder;
import dev.ferry.api.model.Snapshot;
import dev.ferry.testing.ZfsPoolExtension;
import dev.ferry.testing.ZfsPoolExtension.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ZfsDriverTest {

  private static final long MIB = 1 << 20;
  private static final DatasetName DB = DatasetName.of("db");

  @RegisterExtension
  final ZfsPoolExtension pools = ZfsPoolExtension.perTest();

  private ZfsDriver zfs;
  private Path mountpoint;

  @BeforeEach
  void setUp(Pool pool) {
    zfs = driverFor(pool);
    mountpoint = pool.mountRoot().resolve("db");
  }

  private static ZfsDriver driverFor(Pool pool) {
    return ZfsDriver.detect(new ZfsLayout(pool.name(), pool.mountRoot()), ZfsCli.standard());
  }

  @Test
  void detectsThatZfsFuseHasNoOptionalFeatures() {
    assertThat(zfs.features()).isEqualTo(ZfsFeatures.NONE);
  }

  @Test
  void createsAWritableDatasetMountedUnderTheDatasetRootWithItsRefquota() throws IOException {
    zfs.create(DB, 32 * MIB);

    DatasetState state = zfs.state(DB);
    assertThat(state.mounted()).isTrue();
    assertThat(state.readonly()).isFalse();
    assertThat(state.refquotaBytes()).isEqualTo(32 * MIB);
    assertThat(state.mountpoint()).contains(mountpoint.toString());
    assertThat(state.availableBytes()).isLessThanOrEqualTo(32 * MIB);
    Files.writeString(mountpoint.resolve("hello.txt"), "hello");
    assertThat(zfs.exists(DB)).isTrue();
    assertThat(zfs.exists(DatasetName.of("other"))).isFalse();
  }

  @Test
  void listCopiesShowsEveryCopyWithItsStateAndSnapshotsInOneLaunch() {
    assertThat(zfs.listCopies()).isEmpty();
    zfs.create(DB, 32 * MIB);
    zfs.create(DatasetName.of("standby"), 16 * MIB);
    zfs.makeStandby(DatasetName.of("standby"));
    String first = zfs.snapshot(DB, "one").guid();
    String second = zfs.snapshot(DB, "two").guid();

    long before = zfs.launches();
    Map<DatasetName, CopyListing> copies = zfs.listCopies();

    assertThat(zfs.launches() - before).isEqualTo(1);
    assertThat(copies).containsOnlyKeys(DB, DatasetName.of("standby"));
    CopyListing db = copies.get(DB);
    DatasetState state = zfs.state(DB);
    assertThat(db.guid()).isEqualTo(zfs.guid(DB));
    assertThat(db.state().mounted()).isTrue();
    assertThat(db.state().readonly()).isFalse();
    assertThat(db.state().usedBytes()).isEqualTo(state.usedBytes());
    assertThat(db.state().availableBytes()).isEqualTo(state.availableBytes());
    assertThat(db.snapshotGuids()).containsExactly(first, second);
    CopyListing standby = copies.get(DatasetName.of("standby"));
    assertThat(standby.state().mounted()).isFalse();
    assertThat(standby.state().readonly()).isTrue();
    assertThat(standby.snapshotGuids()).isEmpty();
  }

  @Test
  void stateAndSnapshotsReadsWhatStateAndSnapshotsReadInOneLaunch() {
    assertThat(zfs.stateAndSnapshots(DB)).isEmpty();
    zfs.create(DB, 32 * MIB);
    Snapshot one = zfs.snapshot(DB, "one");
    Snapshot two = zfs.snapshot(DB, "two");
    zfs.setReadonly(DB, true);

    long before = zfs.launches();
    CopyState copy = zfs.stateAndSnapshots(DB).orElseThrow();

    assertThat(zfs.launches() - before).isEqualTo(1);
    assertThat(copy.state()).isEqualTo(zfs.state(DB));
    assertThat(copy.state().readonly()).as("readonly=on of a mounted copy, from its record").isTrue();
    assertThat(copy.state().mounted()).isTrue();
    assertThat(copy.snapshots()).containsExactly(one, two).isEqualTo(zfs.snapshots(DB));
  }

  @Test
  void refquotaStopsWritesBeyondTheSize() {
    zfs.create(DB, 4 * MIB);

    assertThatThrownBy(() -> DataFiles.write(mountpoint.resolve("big"), 8 * MIB, 1)).isInstanceOf(IOException.class);
  }

  @Test
  void createFailsClearlyWhenTheDatasetExists() {
    zfs.create(DB, 8 * MIB);

    assertThatThrownBy(() -> zfs.create(DB, 8 * MIB))
        .isInstanceOfSatisfying(ZfsException.class, e -> assertThat(e.reason()).isEqualTo(ZfsException.Reason.ALREADY_EXISTS))
        .hasMessageContaining("already exists");
  }

  @Test
  void listsSnapshotsOldestFirstWithTheirGuids() {
    zfs.create(DB, 8 * MIB);
    Snapshot s1 = zfs.snapshot(DB, "s1");
    Snapshot s2 = zfs.snapshot(DB, "s2");
    Snapshot s3 = zfs.snapshot(DB, "s3");

    List<Snapshot> listed = zfs.snapshots(DB);

    assertThat(listed).extracting(Snapshot::name).containsExactly("s1", "s2", "s3");
    assertThat(listed).containsExactly(s1, s2, s3);
    assertThat(listed).extracting(Snapshot::guid).doesNotHaveDuplicates().allMatch(g -> g.matches("[0-9]+"));
  }

  @Test
  void aHeldSnapshotSurvivesDestroyUntilReleased() {
    zfs.create(DB, 8 * MIB);
    zfs.snapshot(DB, "base");
    zfs.hold(DB, "base", "ferry-migration");
    zfs.hold(DB, "base", "ferry-migration");

    assertThat(zfs.holdCount(DB, "base")).isEqualTo(1);
    assertThatThrownBy(() -> zfs.destroySnapshot(DB, "base"))
        .isInstanceOfSatisfying(ZfsException.class, e -> assertThat(e.reason()).isEqualTo(ZfsException.Reason.BUSY));
    assertThat(zfs.snapshots(DB)).extracting(Snapshot::name).containsExactly("base");

    zfs.release(DB, "base", "ferry-migration");
    zfs.release(DB, "base", "ferry-migration");
    zfs.destroySnapshot(DB, "base");
    assertThat(zfs.snapshots(DB)).isEmpty();
  }

  @Test
  void holdsSeveralSnapshotsInOneCommandAlsoWhenSomeAreHeldAlready() {
    zfs.create(DB, 8 * MIB);
    zfs.snapshot(DB, "s1");
    zfs.snapshot(DB, "s2");
    zfs.snapshot(DB, "s3");
    zfs.hold(DB, "s1", "ferry-base");

    zfs.hold(DB, List.of("s1", "s2"), "ferry-base");

    assertThat(zfs.heldSnapshots(DB)).containsExactly("s1", "s2");
    assertThat(zfs.holdCount(DB, "s1")).isEqualTo(1);

    zfs.release(DB, List.of("s1", "s2", "s3"), "ferry-base");

    assertThat(zfs.heldSnapshots(DB)).isEmpty();
  }

  @Test
  void holdingSeveralSnapshotsFailsWhenOneIsMissing() {
    zfs.create(DB, 8 * MIB);
    zfs.snapshot(DB, "s1");

    assertThatThrownBy(() -> zfs.hold(DB, List.of("s1", "gone"), "ferry-base"))
        .isInstanceOfSatisfying(ZfsException.class, e -> assertThat(e.reason()).isEqualTo(ZfsException.Reason.NOT_FOUND));
  }

  @Test
  void rollbackDiscardsLaterSnapshotsAndChanges() throws IOException {
    zfs.create(DB, 8 * MIB);
    Files.writeString(mountpoint.resolve("a"), "first");
    zfs.snapshot(DB, "s1");
    Files.writeString(mountpoint.resolve("a"), "second");
    zfs.snapshot(DB, "s2");
    Files.writeString(mountpoint.resolve("b"), "later");

    zfs.rollback(DB, "s1");

    assertThat(zfs.snapshots(DB)).extracting(Snapshot::name).containsExactly("s1");
    assertThat(Files.readString(mountpoint.resolve("a"))).isEqualTo("first");
    assertThat(mountpoint.resolve("b")).doesNotExist();
  }

  @Test
  void readonlyRefusesWritesUntilTurnedOff() throws IOException {
    zfs.create(DB, 8 * MIB);

    zfs.setReadonly(DB, true);
    assertThat(zfs.state(DB).readonly()).isTrue();
    assertThatThrownBy(() -> Files.writeString(mountpoint.resolve("x"), "x")).isInstanceOf(IOException.class);

    zfs.setReadonly(DB, false);
    Files.writeString(mountpoint.resolve("x"), "x");
    assertThat(mountpoint.resolve("x")).hasContent("x");
  }

  @Test
  void unmountsAndMountsAgainKeepingTheData() throws IOException {
    zfs.create(DB, 8 * MIB);
    Files.writeString(mountpoint.resolve("kept"), "data");

    zfs.unmount(DB);
    zfs.unmount(DB);
    assertThat(zfs.state(DB).mounted()).isFalse();
    assertThat(mountpoint.resolve("kept")).doesNotExist();

    zfs.mount(DB);
    zfs.mount(DB);
    assertThat(mountpoint.resolve("kept")).hasContent("data");
  }

  @Test
  void destroyRemovesTheDatasetAndIsANoOpTheSecondTime() {
    zfs.create(DB, 8 * MIB);
    zfs.snapshot(DB, "s1");

    zfs.destroy(DB);
    zfs.destroy(DB);

    assertThat(zfs.exists(DB)).isFalse();
    assertThatThrownBy(() -> zfs.snapshots(DB))
        .isInstanceOfSatisfying(ZfsException.class, e -> assertThat(e.reason()).isEqualTo(ZfsException.Reason.NOT_FOUND));
  }

  @Test
  void reportsPoolSpace() {
    PoolSpace space = zfs.poolSpace();

    assertThat(space.sizeBytes()).isPositive().isLessThanOrEqualTo(ZfsPoolExtension.DEFAULT_SIZE);
    assertThat(space.freeBytes()).isPositive().isLessThanOrEqualTo(space.sizeBytes());
  }

  @Test
  void sendsFullAndIncrementalStreamsIntoAnotherPool() throws IOException {
    Pool other = pools.create();
    ZfsDriver target = driverFor(other);
    Path targetMount = other.mountRoot().resolve("db");
    zfs.create(DB, 32 * MIB);
    DataFiles.write(mountpoint.resolve("one"), 2 * MIB, 1);
    Snapshot s1 = zfs.snapshot(DB, "s1");

    pipe(zfs.send(DB, Optional.empty(), "s1"), target.receive(DB, false));
    target.adoptReceived(DB);

    assertThat(target.snapshots(DB)).containsExactly(s1);
    assertThat(target.state(DB).readonly()).isTrue();
    assertThat(target.state(DB).mounted()).as("a standby is never mounted").isFalse();
    target.mount(DB);
    assertThat(DataFiles.checksums(targetMount)).isEqualTo(DataFiles.checksums(mountpoint));

    DataFiles.write(mountpoint.resolve("two"), 1 * MIB, 2);
    Snapshot s2 = zfs.snapshot(DB, "s2");
    pipe(zfs.send(DB, Optional.of("s1"), "s2"), target.receive(DB, false));

    assertThat(target.snapshots(DB)).containsExactly(s1, s2);
    assertThat(target.state(DB).mounted()).as("a copy that receives is unmounted first").isFalse();
    target.mount(DB);
    assertThat(DataFiles.checksums(targetMount)).isEqualTo(DataFiles.checksums(mountpoint)).containsKeys("one", "two");
    assertThat(zfs.estimateSendSize(DB, Optional.of("s1"), "s2")).isEmpty();
  }

  @Test
  void createdAndReceivedCopiesInheritSetuidAndDevicesOff() throws IOException {
    Pool other = pools.create();
    ZfsDriver target = driverFor(other);
    zfs.create(DB, 32 * MIB);
    zfs.snapshot(DB, "s1");

    pipe(zfs.send(DB, Optional.empty(), "s1"), target.receive(DB, false));
    target.adoptReceived(DB);

    for (String filesystem : List.of(zfs.layout().filesystem(DB), target.layout().filesystem(DB))) {
      assertThat(ZfsCli.standard().zfs("get", "-H", "-o", "property,value", "setuid,devices", filesystem).strip())
          .as("zfs get setuid,devices %s", filesystem).isEqualTo("setuid\toff\ndevices\toff");
    }
  }

  @Test
  void aTargetPoolTooSmallFailsWithOutOfSpaceAndLeavesTheSourceAlone() throws IOException {
    Pool tiny = pools.create(ZfsPoolExtension.MIN_SIZE);
    ZfsDriver target = driverFor(tiny);
    zfs.create(DB, 100 * MIB);
    DataFiles.write(mountpoint.resolve("big"), 48 * MIB, 3);
    Snapshot s1 = zfs.snapshot(DB, "s1");
    Map<String, String> before = DataFiles.checksums(mountpoint);

    assertThatThrownBy(() -> pipe(zfs.send(DB, Optional.empty(), "s1"), target.receive(DB, false)))
        .isInstanceOfSatisfying(ZfsException.class, e -> assertThat(e.reason()).isEqualTo(ZfsException.Reason.OUT_OF_SPACE))
        .hasMessageContaining("out of space");

    assertThat(target.exists(DB)).isFalse();
    assertThat(zfs.snapshots(DB)).containsExactly(s1);
    assertThat(DataFiles.checksums(mountpoint)).isEqualTo(before);
  }

  @Test
  void anInterruptedReceiveLeavesTheLastCompleteSnapshotAndTheSameStepRunsAgain() throws IOException {
    Pool other = pools.create();
    ZfsDriver target = driverFor(other);
    zfs.create(DB, 64 * MIB);
    DataFiles.write(mountpoint.resolve("a"), 4 * MIB, 4);
    Snapshot s1 = zfs.snapshot(DB, "s1");
    pipe(zfs.send(DB, Optional.empty(), "s1"), target.receive(DB, false));
    target.adoptReceived(DB);
    DataFiles.write(mountpoint.resolve("b"), 8 * MIB, 5);
    Snapshot s2 = zfs.snapshot(DB, "s2");

    try (StreamingProcess send = zfs.send(DB, Optional.of("s1"), "s2");
        StreamingProcess receive = target.receive(DB, false)) {
      receive.input().write(send.output().readNBytes((int) MIB));
      assertThatThrownBy(receive::awaitSuccess)
          .isInstanceOfSatisfying(ZfsException.class,
              e -> assertThat(e.reason()).isEqualTo(ZfsException.Reason.INCOMPLETE_STREAM));
    }
    assertThat(target.snapshots(DB)).containsExactly(s1);

    pipe(zfs.send(DB, Optional.of("s1"), "s2"), target.receive(DB, false));
    assertThat(target.snapshots(DB)).containsExactly(s1, s2);
    target.mount(DB);
    assertThat(DataFiles.checksums(other.mountRoot().resolve("db"))).isEqualTo(DataFiles.checksums(mountpoint));
  }

  /**
   * Why the source's fence checks /proc before its final snapshot (hole 4 of issue 10): on
   * zfs-fuse, {@code readonly=on} refuses new writable opens, but a process that opened its file
   * before keeps writing and fsyncing it. Only the scan of /proc sees that writer.
   */
  @Test
  void readonlyDoesNotStopAProcessThatOpenedItsFileBeforeButTheScanSeesIt(@TempDir Path work) throws IOException {
    zfs.create(DB, 32 * MIB);
    Path aof = mountpoint.resolve("appendonly.aof");
    try (FileHolder holder = FileHolder.holdingOpen(aof, work)) {
      zfs.setReadonly(DB, true);

      assertThat(zfs.state(DB).readonly()).isTrue();
      assertThatThrownBy(() -> Files.writeString(mountpoint.resolve("new-file"), "x"))
          .isInstanceOf(IOException.class).hasMessageContaining("Read-only file system");
      assertThat(MountUsers.of(mountpoint)).extracting(MountUsers.User::pid).containsExactly(holder.pid());
      FileHolder.Outcome outcome = holder.writeAndExit();
      assertThat(outcome.wrote()).as("zfs-fuse lets an fd opened before readonly=on write: %s", outcome.report())
          .isTrue();
    }
    assertThat(aof).hasContent("written before the fence\nwritten after the fence");
    assertThat(MountUsers.of(mountpoint)).isEmpty();
  }

  /** Copies a send into a receive and waits for both; fails with the receive's error first. */
  private static void pipe(StreamingProcess send, StreamingProcess receive) throws IOException {
    try (send; receive) {
      try (InputStream in = send.output(); OutputStream out = receive.input()) {
        in.transferTo(out);
      } catch (IOException e) {
        // The receive gave up (its error says why); fall through to read it.
      }
      receive.awaitSuccess();
      send.awaitSuccess();
    }
  }
}
