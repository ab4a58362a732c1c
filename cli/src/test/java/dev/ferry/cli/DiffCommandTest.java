package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The unified diff that {@code ferryctl diff} prints: hunks with three lines of context, as {@code diff -u}. */
class DiffCommandTest {

  static String lines(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "line" + i + "\n").collect(Collectors.joining());
  }

  @Test
  void equalTextsHaveNoDiff() {
    assertThat(DiffCommand.unified("a", "x\ny\n", "b", "x\ny\n")).isEmpty();
  }

  @Test
  void aChangeShowsThreeLinesOfContextEitherSideOnly() {
    String before = lines(1, 20);
    String after = before.replace("line10\n", "LINE10\n");

    assertThat(DiffCommand.unified("live", before, "merged", after)).isEqualTo("""
        --- live
        +++ merged
        @@ -7,7 +7,7 @@
         line7
         line8
         line9
        -line10
        +LINE10
         line11
         line12
         line13
        """);
  }

  @Test
  void changesFarApartAreSeparateHunks() {
    String before = lines(1, 30);
    String after = before.replace("line3\n", "LINE3\n").replace("line25\n", "LINE25\n");

    assertThat(DiffCommand.unified("live", before, "merged", after).lines().filter(l -> l.startsWith("@@")))
        .containsExactly("@@ -1,6 +1,6 @@", "@@ -22,7 +22,7 @@");
  }
}
