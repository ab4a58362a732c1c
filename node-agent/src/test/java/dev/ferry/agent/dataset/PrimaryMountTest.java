package dev.ferry.agent.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.zfs.DatasetMarkers;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.DatasetState;
import dev.ferry.agent.zfs.ZfsCli;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsLayout;
import dev.ferry.api.model.Snapshot;
import dev.ferry.testing.ZfsPoolExtension;
import dev.ferry.testing.ZfsPoolExtension.Pool;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Making a read-only, unmounted copy the primary on a real zfs-fuse pool, with every zfs command
 * the agent runs written down by a wrapper: the app is down while this runs in a cut-over, so
 * the copy must end up mounted, writable and checked, without ZFS being asked again what the
 * caller's one look already told.
 */
class PrimaryMountTest {

  private static final long MIB = 1 << 20;
  private static final DatasetName DB = DatasetName.of("db");

  @RegisterExtension
  final ZfsPoolExtension pools = ZfsPoolExtension.perTest();

  @TempDir
  Path dir;

  private Path commands;
  private ZfsDriver zfs;
  private DatasetMarkers markers;
  private Path mountpoint;

  @BeforeEach
  void setUp(Pool pool) throws IOException {
    commands = dir.resolve("zfs-commands.log");
    Path wrapper = dir.resolve("zfs");
    Files.writeString(wrapper, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + commands + "'\nexec '" + onPath("zfs")
        + "' \"$@\"\n");
    assertThat(wrapper.toFile().setExecutable(true)).isTrue();
    zfs = ZfsDriver.detect(new ZfsLayout(pool.name(), pool.mountRoot()),
        new ZfsCli(wrapper.toString(), onPath("zpool"), Duration.ofSeconds(60)));
    markers = new DatasetMarkers(zfs);
    mountpoint = pool.mountRoot().resolve("db");
  }

  @Test
  void aReadOnlyUnmountedCopyBecomesAWritableCheckedPrimaryWithoutAskingZfsForItsStateAgain() throws IOException {
    // A copy as a standby holds it after the fenced round: markers in, snapshot taken, read-only, unmounted.
    zfs.create(DB, 64 * MIB);
    String identity = zfs.guid(DB);
    markers.writeIdentity(DB, identity);
    markers.writeRoundSnapshot(DB, "ferry-move-2", zfs.state(DB));
    Files.writeString(mountpoint.resolve("appendonly.aof"), "SET a 1\n");
    zfs.snapshot(DB, "ferry-move-2");
    zfs.makeStandby(DB);
    DatasetState seen = zfs.state(DB);
    assertThat(seen.mounted()).isFalse();
    assertThat(seen.readonly()).isTrue();
    // The keeper lists the snapshots once, for this and for its report.
    List<Snapshot> snapshots = zfs.snapshots(DB);
    int before = Files.readAllLines(commands).size();

    MountCheck check = new PrimaryMount(zfs, markers, "node2").makePrimary(DB, new LocalCopy(seen, false), 64 * MIB,
        identity, snapshots);
    List<String> made = Files.readAllLines(commands).subList(before, Files.readAllLines(commands).size());

    assertThat(check.shown()).as(check.message()).isTrue();
    assertThat(check.message()).contains(identity);
    DatasetState now = zfs.state(DB);
    assertThat(now.mounted()).isTrue();
    assertThat(now.readonly()).isFalse();
    assertThat(mountpoint.resolve("appendonly.aof")).hasContent("SET a 1\n");
    Files.writeString(mountpoint.resolve("appendonly.aof"), "SET b 2\n", java.nio.file.StandardOpenOption.APPEND);
    assertThat(mountpoint.resolve("appendonly.aof")).hasContent("SET a 1\nSET b 2\n");

    // mount, then readonly=off and its record: the state and the snapshots were read before.
    assertThat(made).as("zfs commands making the copy the primary")
        .noneMatch(c -> c.startsWith("get"))
        .hasSize(3);
  }

  @Test
  void aCopyThatShowsAnotherIdentityIsNotMadeWritable() throws IOException {
    zfs.create(DB, 64 * MIB);
    markers.writeIdentity(DB, "12345");
    zfs.snapshot(DB, "ferry-move-2");
    zfs.makeStandby(DB);

    MountCheck check = new PrimaryMount(zfs, markers, "node2").makePrimary(DB, new LocalCopy(zfs.state(DB), false),
        64 * MIB, "67890", zfs.snapshots(DB));

    assertThat(check.shown()).isFalse();
    assertThat(check.reason()).isEqualTo(MountCheck.IDENTITY_MISMATCH);
    assertThat(check.message()).contains("12345").contains("67890");
    assertThat(zfs.state(DB).readonly()).isTrue();
  }

  private static String onPath(String command) {
    for (String d : System.getenv("PATH").split(File.pathSeparator)) {
      Path candidate = Path.of(d, command);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(command + " is not on the PATH");
  }
}
