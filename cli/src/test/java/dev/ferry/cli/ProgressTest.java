package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private static final Instant TEN_SECONDS_IN = Instant.parse("2026-01-01T00:00:10Z");

  private static ObjectNode migration(String phase, long sent) {
    ObjectNode m = Json.json().createObjectNode();
    m.putObject("status").put("phase", phase).put("bytesTransferred", sent).put("startTime", "2026-01-01T00:00:00Z");
    return m;
  }

  @Test
  void progressIsABarOnATerminalAndALineOtherwise() {
    Progress progress = Progress.of(migration("PreCopy", 512L << 20), 1L << 30, TEN_SECONDS_IN);

    assertThat(progress.render(false)).isEqualTo("PreCopy: 50% (536870912 of 1073741824 bytes), 51.2 MiB/s, ETA 10s");
    assertThat(progress.render(true)).isEqualTo("PreCopy [###############...............]  50% 512.0 MiB / 1.0 GiB, 51.2 MiB/s, ETA 10s");
  }

  @Test
  void theRoundUnderWayCountsAtItsOwnRate() {
    ObjectNode m = migration("PreCopy", 0);
    ((ObjectNode) m.get("status")).putObject("transfer").put("state", "Running").put("bytes", 256L << 20)
        .put("bytesPerSecond", 128L << 20);

    assertThat(Progress.of(m, 1L << 30, TEN_SECONDS_IN).render(false))
        .isEqualTo("PreCopy: 25% (268435456 of 1073741824 bytes), 128.0 MiB/s, ETA 6s");
  }

  @Test
  void aFinishedMigrationIsSummedUpWithoutAnEta() {
    ObjectNode m = migration("Succeeded", 100L << 20);
    ((ObjectNode) m.get("status")).put("completionTime", "2026-01-01T00:00:04Z");

    assertThat(Progress.of(m, 1L << 30, TEN_SECONDS_IN).render(true)).isEqualTo("Succeeded: 100.0 MiB sent, 25.0 MiB/s on average");
  }

  @Test
  void aLogGetsANewLineForANewPhaseOrPercentageOnly() {
    ObjectNode m = migration("PreCopy", 512L << 20);

    assertThat(Progress.of(m, 1L << 30, TEN_SECONDS_IN).milestone()).isEqualTo("PreCopy 50%");
    assertThat(Progress.of(migration("PreCopy", (512L << 20) + 1000), 1L << 30, TEN_SECONDS_IN).milestone()).isEqualTo("PreCopy 50%");
    assertThat(Progress.of(m, 0, TEN_SECONDS_IN).milestone()).isEqualTo("PreCopy");
  }
}
