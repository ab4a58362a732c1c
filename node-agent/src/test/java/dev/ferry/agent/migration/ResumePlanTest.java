package dev.ferry.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.zfs.ResumeToken;
import dev.ferry.api.model.Snapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResumePlanTest {

  private static final Snapshot R0 = new Snapshot("r0", "1001", Instant.EPOCH);
  private static final Snapshot R1 = new Snapshot("r1", "1002", Instant.EPOCH);
  private static final String R0_NAME = "ferry-node1/ferry/db@r0";
  private static final String R1_NAME = "ferry-node1/ferry/db@r1";
  private static final String TOKEN = "1-e604ea4bf-e0-789c63a2";

  private static Optional<ResumeToken> token(String toName, String toGuid, String fromGuid) {
    return Optional.of(new ResumeToken(toName, toGuid, fromGuid, 4096));
  }

  /** One row: the platform, the target's token and what it says, the round's stream; the plan's kind and a word of it. */
  private record Row(String name, boolean resumable, Optional<String> targetToken, Optional<ResumeToken> contents,
      String snapshotName, Snapshot snapshot, Optional<Snapshot> base, Class<? extends ResumePlan> expected,
      String mentions) {}

  private static final List<Row> ROWS = List.of(
      new Row("zfs-fuse: no token, the whole stream as always", false, Optional.empty(), Optional.empty(),
          R0_NAME, R0, Optional.empty(), ResumePlan.StartOver.class, "no partial receive"),
      new Row("OpenZFS, nothing interrupted: the whole stream", true, Optional.empty(), Optional.empty(),
          R0_NAME, R0, Optional.empty(), ResumePlan.StartOver.class, "no partial receive"),
      new Row("the full copy was interrupted: resume it", true, Optional.of(TOKEN), token(R0_NAME, "1001", ""),
          R0_NAME, R0, Optional.empty(), ResumePlan.Resume.class, TOKEN),
      new Row("an interrupted incremental from the same base: resume it", true, Optional.of(TOKEN),
          token(R1_NAME, "1002", "1001"), R1_NAME, R1, Optional.of(R0), ResumePlan.Resume.class, TOKEN),
      new Row("a source whose zfs cannot send -t: start over, the target discards", false, Optional.of(TOKEN),
          Optional.empty(), R0_NAME, R0, Optional.empty(), ResumePlan.StartOver.class, "no zfs send -t"),
      new Row("a token this node cannot read: start over", true, Optional.of(TOKEN), Optional.empty(),
          R0_NAME, R0, Optional.empty(), ResumePlan.StartOver.class, "could not be read"),
      new Row("the partial receive is of an older round's snapshot: start over", true, Optional.of(TOKEN),
          token(R0_NAME, "1001", ""), R1_NAME, R1, Optional.of(R0), ResumePlan.StartOver.class, "another snapshot"),
      new Row("the partial receive came from another node's pool: start over", true, Optional.of(TOKEN),
          token("ferry-node3/ferry/db@x", "77", ""), R0_NAME, R0, Optional.empty(), ResumePlan.StartOver.class,
          "another snapshot"),
      new Row("the partial receive was a full stream, this round is incremental: start over", true,
          Optional.of(TOKEN), token(R1_NAME, "1002", ""), R1_NAME, R1, Optional.of(R0), ResumePlan.StartOver.class,
          "a full stream"),
      new Row("the partial receive is from another base: start over", true, Optional.of(TOKEN),
          token(R1_NAME, "1002", "999"), R1_NAME, R1, Optional.of(R0), ResumePlan.StartOver.class, "base guid 999"),
      new Row("this snapshot's guid under another dataset's name: refused, never sent", true, Optional.of(TOKEN),
          token("ferry-node1/ferry/secrets@r0", "1001", ""), R0_NAME, R0, Optional.empty(), ResumePlan.Refuse.class,
          "zfs receive -A"));

  @Test
  void decidesAsTheTableSays() {
    for (Row row : ROWS) {
      ResumePlan plan = ResumePlan.decide(row.resumable(), row.targetToken(), row.contents(), row.snapshotName(),
          row.snapshot(), row.base());
      assertThat(plan).as(row.name()).isInstanceOf(row.expected());
      assertThat(plan.toString()).as(row.name()).contains(row.mentions());
    }
  }
}
