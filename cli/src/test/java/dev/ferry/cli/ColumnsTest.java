package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Kind;
import org.junit.jupiter.api.Test;

class ColumnsTest {

  @Test
  void aMigrationsTransferredCountsTheRoundUnderWay() {
    ObjectNode m = Json.json().createObjectNode();
    ObjectNode status = m.putObject("status").put("phase", "PreCopy").put("bytesTransferred", 512L << 20);
    status.putObject("transfer").put("state", "Running").put("bytes", 256L << 20);
    Column transferred = Columns.of(Kind.MIGRATION).stream().filter(c -> c.header().equals("TRANSFERRED")).findFirst().orElseThrow();

    assertThat(transferred.cell().apply(m)).isEqualTo("768.0 MiB");
  }
}
