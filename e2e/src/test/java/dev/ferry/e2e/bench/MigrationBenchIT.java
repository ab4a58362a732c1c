package dev.ferry.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke run of {@code ./ferry bench migration}: one PreCopy move of a small dataset on a real
 * {@code ./ferry up} cluster, under the client's write load. It checks what the benchmark writes
 * and that no acknowledged write was lost; the timing targets are the benchmark's verdict, not
 * this test's (the suite's machine is busy).
 */
class MigrationBenchIT {

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir
  Path out;

  @Test
  void smokeRunWritesItsFiguresAndChartAndLosesNoAcknowledgedWrite() throws Exception {
    MigrationReport report = MigrationBench.run(
        MigrationBenchOptions.parse("--sizes", "8Mi", "--runs", "1", "--strategies", "PreCopy", "--write-rate", "50"),
        MigrationBench.home(), out);

    JsonNode json = Json.json().readTree(out.resolve("migration.json").toFile());
    assertThat(json.path("runs")).hasSize(1);
    JsonNode run = json.path("runs").path(0);
    assertThat(run.path("strategy").asText()).isEqualTo("PreCopy");
    assertThat(run.path("size").asText()).isEqualTo("8Mi");
    assertThat(run.path("phase").asText()).as(run.toString()).isEqualTo("Succeeded");
    assertThat(run.path("writesAcked").asLong()).as("writes acknowledged during the move").isPositive();
    assertThat(run.path("writesLost").asLong()).as("acknowledged writes missing after the move").isZero();
    assertThat(run.path("bytesMoved").asLong()).as("the 8Mi fill was copied").isGreaterThanOrEqualTo(8L << 20);
    assertThat(run.path("rounds").asInt()).isPositive();
    assertThat(run.path("controllerDowntimeS").asDouble()).isPositive();
    assertThat(run.path("downtimeS").asDouble()).isPositive();
    for (String field : MigrationRun.PHASES) {
      assertThat(run.path("phasesS").has(field)).as("phasesS has %s: %s", field, run).isTrue();
    }
    double phases = 0;
    for (JsonNode p : run.path("phasesS")) {
      phases += p.asDouble();
    }
    assertThat(phases).as("the phases add up to the controller's downtime")
        .isCloseTo(run.path("controllerDowntimeS").asDouble(), org.assertj.core.data.Offset.offset(0.01));
    assertThat(run.path("totalS").asDouble()).isGreaterThanOrEqualTo(run.path("controllerDowntimeS").asDouble());
    assertThat(json.path("verdict").size()).isPositive();
    assertThat(report.table()).contains("PreCopy", "8Mi");

    byte[] png = Files.readAllBytes(out.resolve("migration.png"));
    assertThat(Arrays.copyOf(png, PNG_SIGNATURE.length)).as("migration.png is a PNG").isEqualTo(PNG_SIGNATURE);
  }
}
