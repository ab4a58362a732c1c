package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Kind;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnsTest {

  private static Map<String, String> row(ObjectNode object) {
    Map<String, String> row = new LinkedHashMap<>();
    Columns.of(Kind.MIGRATION).forEach(c -> row.put(c.header(), c.cell().apply(object)));
    return row;
  }

  @Test
  void aMigrationsFirstFullCopyShowsItsBytesAndRateWhileItRuns() {
    ObjectNode m = Json.json().createObjectNode();
    m.putObject("metadata").put("name", "todos-db-1").put("creationTimestamp", "2026-01-01T00:00:00Z");
    ObjectNode status = m.putObject("status").put("phase", "PreCopy").put("startTime", "2026-01-01T00:00:00Z");
    status.putObject("transfer").put("state", "Running").put("bytes", 256L << 20).put("bytesPerSecond", 64L << 20);

    assertThat(row(m)).containsEntry("TRANSFERRED", "256.0 MiB").containsEntry("RATE", "64.0 MiB/s");

    status.put("bytesTransferred", 300L << 20).putObject("transfer").put("state", "Succeeded").put("bytes", 300L << 20)
        .put("bytesPerSecond", 60L << 20);

    assertThat(row(m)).containsEntry("TRANSFERRED", "300.0 MiB").containsEntry("RATE", "");
  }

  @Test
  void aMigrationsTransferredCountsTheRoundUnderWay() {
    ObjectNode m = Json.json().createObjectNode();
    ObjectNode status = m.putObject("status").put("phase", "PreCopy").put("bytesTransferred", 512L << 20);
    status.putObject("transfer").put("state", "Running").put("bytes", 256L << 20);
    Column transferred = Columns.of(Kind.MIGRATION).stream().filter(c -> c.header().equals("TRANSFERRED")).findFirst().orElseThrow();

    assertThat(transferred.cell().apply(m)).isEqualTo("768.0 MiB");
  }
}
