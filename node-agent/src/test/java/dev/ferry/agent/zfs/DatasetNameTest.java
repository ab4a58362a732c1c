package dev.ferry.agent.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetNameTest {

  @ParameterizedTest
  @ValueSource(strings = {"todos-data", "a", "0", "db-1", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk"})
  void acceptsDnsLabels(String name) {
    assertThat(DatasetName.of(name).value()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-F", "Data", "a/b", "a@b", "../x", "a b", "a-", "x;rm -rf /",
      "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"})
  void refusesAnythingElse(String name) {
    assertThatIllegalArgumentException().isThrownBy(() -> DatasetName.of(name)).withMessageContaining("DNS-1123");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-r", "s@1", "s/1", ""})
  void refusesBadSnapshotNamesBeforeBuildingACommand(String snapshot) {
    ZfsLayout layout = new ZfsLayout("tank", Path.of("/var/lib/ferry/datasets"));
    assertThatIllegalArgumentException().isThrownBy(() -> layout.snapshot(DatasetName.of("db"), snapshot));
  }

  @org.junit.jupiter.api.Test
  void layoutPlacesDatasetsUnderPoolFerry() {
    ZfsLayout layout = new ZfsLayout("tank", Path.of("/var/lib/ferry/datasets"));
    assertThat(layout.filesystem(DatasetName.of("db"))).isEqualTo("tank/ferry/db");
    assertThat(layout.snapshot(DatasetName.of("db"), "s1")).isEqualTo("tank/ferry/db@s1");
    assertThat(layout.mountpoint(DatasetName.of("db"))).isEqualTo(Path.of("/var/lib/ferry/datasets/db"));
  }
}
