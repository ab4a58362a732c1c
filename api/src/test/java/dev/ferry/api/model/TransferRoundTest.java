package dev.ferry.api.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.codec.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransferRoundTest {

  @Test
  void aFullRoundReadsBackWithAnEmptyBaseGuidNotNull() throws Exception {
    TransferRound full = new TransferRound(1, "ferry-1", "123", "", 4096, Duration.ofMillis(20));

    String json = Json.json().writeValueAsString(full);
    TransferRound read = Json.json().readValue(json, TransferRound.class);

    assertThat(json).doesNotContain("baseGuid");
    assertThat(read.baseGuid()).isEmpty();
    assertThat(read).isEqualTo(full);
  }
}
