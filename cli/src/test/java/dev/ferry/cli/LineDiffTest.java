package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
