package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LineDiffTest {

  @Test
  void equalTextsHaveNoDiff() {
    assertThat(LineDiff.unified("a", "x\ny\n", "b", "x\ny\n")).isEmpty();
  }

  @Test
  void marksRemovedAndAddedLines() {
    assertThat(LineDiff.unified("live", "a\nb\nc\n", "merged", "a\nB\nc\nd\n")).isEqualTo("""
        --- live
        +++ merged
        @@ -1,3 +1,4 @@
         a
        -b
        +B
         c
        +d
        """);
  }

  @Test
  void aNewObjectIsAllAdded() {
    assertThat(LineDiff.unified("live", "", "merged", "a\n")).isEqualTo("--- live\n+++ merged\n@@ -0,0 +1,1 @@\n+a\n");
  }

  @Test
  void progressIsABarOnATerminalAndALineOtherwise() {
    var migration = dev.ferry.api.codec.Json.json().createObjectNode();
    migration.putObject("status").put("phase", "PreCopy").put("bytesTransferred", 512L << 20)
        .put("startTime", "2026-01-01T00:00:00Z");
    Progress progress = Progress.of(migration, 1L << 30, Instant.parse("2026-01-01T00:00:10Z"));

    assertThat(progress.render(false)).isEqualTo("PreCopy: 50% (536870912 of 1073741824 bytes), 51.2 MiB/s, ETA 10s");
    assertThat(progress.render(true)).isEqualTo("PreCopy [###############...............]  50% 512.0 MiB / 1.0 GiB, 51.2 MiB/s, ETA 10s");
  }
}
