package dev.ferry.agent.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The markers live among the application's own files, so the application can put anything at
 * their names: a marker is read and written only as a plain file, and nothing there can make the
 * agent's thread wait.
 */
class DatasetMarkersTest {

  private static final Duration PROMPTLY = Duration.ofSeconds(20);

  @TempDir
  Path mount;

  @Test
  void aMarkerWrittenIsReadBack() {
    DatasetMarkers.write(mount, DatasetMarkers.IDENTITY, "1234567890");

    assertThat(DatasetMarkers.read(mount, DatasetMarkers.IDENTITY)).contains("1234567890");
    assertThat(DatasetMarkers.read(mount, DatasetMarkers.SNAPSHOT)).isEmpty();
  }

  @Test
  void aMarkerThatIsALinkOrADirectoryReadsAsAbsent() throws IOException {
    Path dir = Files.createDirectory(mount.resolve(DatasetMarkers.DIR));
    Files.writeString(mount.resolve("elsewhere"), "1234567890\n");
    Files.createSymbolicLink(dir.resolve(DatasetMarkers.IDENTITY), mount.resolve("elsewhere"));
    Files.createDirectory(dir.resolve(DatasetMarkers.SNAPSHOT));

    assertThat(DatasetMarkers.read(mount, DatasetMarkers.IDENTITY)).isEmpty();
    assertThat(DatasetMarkers.read(mount, DatasetMarkers.SNAPSHOT)).isEmpty();
  }

  /** Opening a named pipe to read waits for a writer: an app's pipe would hold the agent's thread for good. */
  @Test
  void aMarkerThatIsANamedPipeReadsAsAbsentWithoutWaitingForAWriter() throws Exception {
    Path dir = Files.createDirectory(mount.resolve(DatasetMarkers.DIR));
    mkfifo(dir.resolve(DatasetMarkers.IDENTITY));

    Optional<String> read = assertTimeoutPreemptively(PROMPTLY, () -> DatasetMarkers.read(mount, DatasetMarkers.IDENTITY));

    assertThat(read).isEmpty();
  }

  /** Opening a named pipe to write waits for a reader, and writing through a planted file would write into the app's. */
  @Test
  void aNamedPipeAtTheTemporaryNameNeitherHoldsTheWriteNorReceivesIt() throws Exception {
    Path dir = Files.createDirectory(mount.resolve(DatasetMarkers.DIR));
    mkfifo(dir.resolve(DatasetMarkers.IDENTITY + ".tmp"));

    assertTimeoutPreemptively(PROMPTLY, () -> DatasetMarkers.write(mount, DatasetMarkers.IDENTITY, "1234567890"));

    assertThat(DatasetMarkers.read(mount, DatasetMarkers.IDENTITY)).contains("1234567890");
    assertThat(Files.exists(dir.resolve(DatasetMarkers.IDENTITY + ".tmp"))).isFalse();
  }

  private static void mkfifo(Path path) throws IOException, InterruptedException {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).as("mkfifo " + path).isZero();
  }
}
