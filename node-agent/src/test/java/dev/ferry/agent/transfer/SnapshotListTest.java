package dev.ferry.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Snapshot;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotListTest {

  private static final List<Snapshot> ONE = List.of(new Snapshot("r0", "1001", Instant.EPOCH));

  @Test
  void withoutAResumeTokenTheAnswerIsWhatEarlierAgentsRead() throws Exception {
    String json = Json.json().writeValueAsString(new SnapshotList("db", ONE, ""));
    assertThat(json).doesNotContain("resumeToken");
    assertThat(Json.json().readValue(json, SnapshotList.class).resumeToken()).isEmpty();
  }

  @Test
  void aResumeTokenTravelsWithTheSnapshots() throws Exception {
    SnapshotList list = new SnapshotList("db", List.of(), "1-e604ea4bf-e0-789c63a2e0");
    assertThat(Json.json().readValue(Json.json().writeValueAsString(list), SnapshotList.class)).isEqualTo(list);
  }
}
