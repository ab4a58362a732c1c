package dev.ferry.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.process.Command;
import dev.ferry.e2e.demo.DemoCluster.MigrationResult;
import dev.ferry.e2e.demo.DemoCluster.Result;
import dev.ferry.e2e.fault.LinkCut;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transfer path between the two nodes of a {@code ./ferry up} cluster cut for real (nftables
 * drops every packet between the nodes' addresses) while the demo's Redis moves: the migration
 * retries its round, gives up at its deadline with the reason in its status and events, and
 * leaves Redis serving every acknowledged write on the source with the dataset unlocked.
 *
 * <p>The nodes get addresses of their own ({@code 127.0.N.1} and {@code .2}, N random), so the cut
 * touches no other cluster on the host.
 */
class TransferPathCutIT {

  private static final int DEADLINE_SECONDS = 30;
  private static final int KEYS = 100;

  private final String subnet = "127.0." + (20 + new SecureRandom().nextInt(200));
  private final String node1 = subnet + ".1";
  private final String node2 = subnet + ".2";
  private Path out;
  private DemoCluster cluster;

  @BeforeEach
  void start() throws IOException {
    out = TestOutput.directory("TransferPathCutIT");
    cluster = DemoCluster.up(out, List.of("--node", "node1=" + node1 + ":disk=spinning",
        "--node", "node2=" + node2 + ":disk=ssd"));
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aCutTransferPathIsRetriedThenRolledBackAtTheDeadlineWithRedisStillServingOnTheSource() throws IOException {
    cluster.apply(redis("spinning"));
    String before = cluster.awaitTask("/todos-db", Duration.ofMinutes(3), this::answers);
    assertThat(before).startsWith(node1 + ":");
    for (int i = 0; i < KEYS; i++) {
      assertThat(redis(before, "SET", "key:" + i, "v" + i)).isEqualTo("OK");
    }

    try (LinkCut cut = LinkCut.between(node1, node2)) {
      cluster.apply(redis("ssd"));
      MigrationResult ended = cluster.awaitMigration("todos-db", "node2", Duration.ofMinutes(4));
      JsonNode dataset = get("dataset", "todos-data").path("spec");
      // The user puts the placement back, before the app's move backoff (30 s) tries again.
      cluster.apply(redis("spinning"));

      assertThat(ended.phase()).isEqualTo("RolledBack");
      assertThat(dataset.path("primary").asText()).isEqualTo("node1");
      assertThat(dataset.path("migration").asText("")).as("the dataset's lock is released").isEmpty();
      assertThat(ended.rounds()).as("no round got through").isZero();
      JsonNode status = get("migration", ended.name()).path("status");
      assertThat(status.path("message").asText())
          .startsWith("gave up at the deadline (spec.deadlineSeconds: " + DEADLINE_SECONDS + "): round 0 failed ")
          .contains(node2);
      assertThat(status.path("transfer").path("attempt").asInt()).as("the round was asked for again").isGreaterThan(1);
      List<JsonNode> events = events("Migration", ended.name());
      assertThat(events.stream().filter(e -> e.path("reason").asText().equals("RoundFailed"))
          .mapToInt(e -> Math.max(1, e.path("count").asInt())).sum()).as("RoundFailed events").isGreaterThan(1);
      assertThat(events).anySatisfy(e -> {
        assertThat(e.path("reason").asText()).isEqualTo("MigrationRolledBack");
        assertThat(e.path("message").asText()).isEqualTo(status.path("message").asText());
      });

      String after = cluster.taskAddress("/todos-db").orElseThrow();
      assertThat(after).as("Redis kept running where it was").isEqualTo(before);
      for (int i = 0; i < KEYS; i++) {
        assertThat(redis(after, "GET", "key:" + i)).as("key:%d", i).isEqualTo("v" + i);
      }
      assertThat(redis(after, "SET", "after-the-cut", "yes")).isEqualTo("OK");
      assertThat(cut.active()).as("the path stayed cut throughout").isTrue();
    }
  }

  /** The demo's Redis placed on {@code disk}, with a short migration deadline. */
  private Path redis(String disk) throws IOException {
    String manifest = Files.readString(DemoCluster.manifest("todomvc/db.yaml"));
    String placed = manifest.replace("[disk, LIKE, spinning]", "[disk, LIKE, " + disk + "]")
        .replace("maxRounds: 10", "maxRounds: 10\n    deadlineSeconds: " + DEADLINE_SECONDS);
    assertThat(placed).contains("[disk, LIKE, " + disk + "]").contains("deadlineSeconds");
    Path file = out.resolve("todos-db-" + disk + ".yaml");
    Files.writeString(file, placed);
    return file;
  }

  private boolean answers(String address) {
    Command ping = Command.run(redisCli(address, "PING"));
    return ping.ok() && ping.stdout().strip().equals("PONG");
  }

  private static String redis(String address, String... command) {
    return Command.run(redisCli(address, command)).orThrow().stdout().strip();
  }

  private static List<String> redisCli(String address, String... command) {
    int colon = address.lastIndexOf(':');
    List<String> line = new ArrayList<>(List.of("redis-cli", "-h", address.substring(0, colon),
        "-p", address.substring(colon + 1)));
    line.addAll(List.of(command));
    return line;
  }

  private JsonNode get(String kind, String name) throws IOException {
    Result got = cluster.ferryctl("get", kind, name, "-o", "json");
    assertThat(got.exit()).as(got.output()).isZero();
    return Json.json().readTree(got.output());
  }

  /** The events about one object, as {@code ferryctl get events} lists them (their specs). */
  private List<JsonNode> events(String kind, String name) throws IOException {
    Result got = cluster.ferryctl("get", "events", "-o", "json");
    assertThat(got.exit()).as(got.output()).isZero();
    List<JsonNode> about = new ArrayList<>();
    for (JsonNode e : Json.json().readTree(got.output()).path("items")) {
      JsonNode spec = e.path("spec");
      if (spec.path("involvedObject").path("kind").asText().equals(kind)
          && spec.path("involvedObject").path("name").asText().equals(name)) {
        about.add(spec);
      }
    }
    return about;
  }
}
