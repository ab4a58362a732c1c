package dev.ferry.devcluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FerryctlConfigTest {

  @TempDir
  Path dir;

  @Test
  void upAddsItsContextAsCurrentAndDownRemovesOnlyThatOne() throws Exception {
    Path file = dir.resolve("config");
    Files.writeString(file, """
        current-context: prod
        contexts:
        - name: prod
          server: https://ferry.example:7070
          token: prod-token-0123456789
        """);

    FerryctlConfig.putContext(file, "devcluster", "http://127.0.0.1:7070", "dev-token-0123456789", Optional.empty());

    String written = Files.readString(file);
    assertThat(written).contains("current-context: devcluster", "name: prod", "token: dev-token-0123456789");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

    FerryctlConfig.removeContext(file, "devcluster");

    assertThat(FerryctlConfig.hasContext(file, "devcluster")).isFalse();
    assertThat(FerryctlConfig.hasContext(file, "prod")).isTrue();
    assertThat(Files.readString(file)).doesNotContain("current-context");
  }

  @Test
  void aFileHoldingOnlyUpsContextIsDeletedByDownAndPuttingTwiceKeepsOne() throws Exception {
    Path file = dir.resolve("sub").resolve("config");

    FerryctlConfig.putContext(file, "devcluster", "http://127.0.0.1:7070", "first-token-0123456789", Optional.empty());
    FerryctlConfig.putContext(file, "devcluster", "http://127.0.0.1:7070", "second-token-0123456789", Optional.empty());

    assertThat(Files.readString(file)).doesNotContain("first-token").containsOnlyOnce("name: devcluster");
    FerryctlConfig.removeContext(file, "devcluster");
    assertThat(file).doesNotExist();
    FerryctlConfig.removeContext(file, "devcluster");
  }
}
