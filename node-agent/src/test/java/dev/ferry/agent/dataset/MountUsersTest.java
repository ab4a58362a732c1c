package dev.ferry.agent.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.ferry.agent.testing.FileHolder;
import dev.ferry.api.process.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes holding files and directories; {@link MountUsers} reads the real /proc. */
class MountUsersTest {

  @TempDir
  Path dir;

  @Test
  void findsAProcessHoldingAFileOpenUnderTheTreeUntilItExits() throws IOException {
    Path data = Files.createDirectories(dir.resolve("db/sub"));
    try (FileHolder holder = FileHolder.holdingOpen(data.resolve("appendonly.aof"), dir)) {
      assertThat(MountUsers.of(dir.resolve("db"))).extracting(MountUsers.User::pid, MountUsers.User::holds)
          .containsExactly(tuple(holder.pid(), "has open " + data.resolve("appendonly.aof")));

      assertThat(holder.writeAndExit().wrote()).isTrue();
    }
    assertThat(MountUsers.of(dir.resolve("db"))).isEmpty();
  }

  @Test
  void findsAProcessWhoseWorkingDirectoryIsInTheTree() throws IOException {
    Path data = Files.createDirectories(dir.resolve("db/sub"));
    try (FileHolder holder = FileHolder.inDirectory(data, dir)) {
      assertThat(MountUsers.of(dir.resolve("db"))).extracting(MountUsers.User::pid, MountUsers.User::holds)
          .containsExactly(tuple(holder.pid(), "has its working directory at " + data));
      assertThat(MountUsers.describe(MountUsers.of(dir.resolve("db"))))
          .startsWith("pid " + holder.pid() + " (python").endsWith(") has its working directory at " + data);
    }
  }

  @Test
  void findsAProcessThatMappedAFileAndClosedItsDescriptor() throws IOException {
    Path data = Files.createDirectories(dir.resolve("db"));
    try (FileHolder holder = FileHolder.mapping(data.resolve("dump.rdb"), dir)) {
      assertThat(MountUsers.of(data)).extracting(MountUsers.User::pid, MountUsers.User::holds)
          .containsExactly(tuple(holder.pid(), "has mapped " + data.resolve("dump.rdb")));
    }
  }

  @Test
  void findsAProcessInItsOwnMountNamespaceThatSeesTheMountByAnotherPath() throws IOException {
    Path db = Files.createDirectories(dir.resolve("db"));
    Path volume = Files.createDirectories(dir.resolve("container-volume"));
    // A mount of its own, as a dataset's mountpoint is.
    Command.run("mount", "-t", "tmpfs", "-o", "size=1m", "ferrytest", db.toString()).orThrow();
    try {
      try (FileHolder holder = FileHolder.holdingOpenThroughABindMount(db, volume, "appendonly.aof", dir)) {
        assertThat(MountUsers.of(db)).extracting(MountUsers.User::pid, MountUsers.User::holds)
            .containsExactly(tuple(holder.pid(), "has open " + volume.resolve("appendonly.aof")
                + " (in its own mount namespace)"));
        assertThat(holder.writeAndExit().wrote()).isTrue();
      }
      assertThat(db.resolve("appendonly.aof")).hasContent("written before the fence\nwritten after the fence");
      assertThat(MountUsers.of(db)).isEmpty();
    } finally {
      Command.run("umount", db.toString()).orThrow();
    }
  }

  @Test
  void aSiblingWhoseNameStartsTheSameIsNotTheTree() throws IOException {
    Path sibling = Files.createDirectories(dir.resolve("db2"));
    Files.createDirectories(dir.resolve("db"));
    try (FileHolder holder = FileHolder.holdingOpen(sibling.resolve("file"), dir)) {
      assertThat(MountUsers.of(dir.resolve("db"))).isEmpty();
      assertThat(MountUsers.of(dir.resolve("db2"))).extracting(MountUsers.User::pid).containsExactly(holder.pid());
    }
  }

  @Test
  void refusesARelativeRoot() {
    assertThatThrownBy(() -> MountUsers.of(Path.of("db"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'db' must be an absolute path");
  }
}
