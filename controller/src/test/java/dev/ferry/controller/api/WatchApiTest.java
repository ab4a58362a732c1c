package dev.ferry.controller.api;

import static dev.ferry.controller.api.ObjectApiTest.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WatchApiTest {

  @RegisterExtension
  static final ApiFixture api = ApiFixture.withOwnEtcd(ApiServerOptions.defaults().withListen("127.0.0.1", 0)
        .withHeartbeat(Duration.ofMillis(200)).withWatchQueueBytes(64 * 1024));
  static final Duration EVENTUALLY = Duration.ofSeconds(20);
  static final String APPS = "/apis/ferry/v1/statefulapps/";

  static long version(String path) {
    try {
      return Json.json().readTree(api.get(path).body()).at("/metadata/resourceVersion").asLong();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void sendsTheCurrentObjectsThenEveryChange() {
    api.put(APPS + "w-before", app("w-before", "{watch: one}", "ssd"));
    try (WatchClient watch = WatchClient.open(api, "kind=statefulapps&labelSelector=watch%3Done")) {
      await().atMost(EVENTUALLY).until(() -> watch.types().contains("SYNCED"));

      api.put(APPS + "w-after", app("w-after", "{watch: one}", "ssd"));
      api.put(APPS + "w-after", app("w-after", "{watch: one}", "spinning"));
      api.put(APPS + "w-other", app("w-other", "{watch: two}", "ssd"));
      api.send("DELETE", APPS + "w-before", ApiFixture.ADMIN, null);

      await().atMost(EVENTUALLY).until(() -> watch.seen().size() == 4);
      assertThat(watch.seen()).containsExactly("ADDED w-before", "ADDED w-after", "MODIFIED w-after", "DELETED w-before");
    }
  }

  @Test
  void filtersByNameAndSendsEventsAndHeartbeats() {
    try (WatchClient watch = WatchClient.open(api, "kind=StatefulApp&kind=events&name=w-named")) {
      await().atMost(EVENTUALLY).until(() -> watch.types().stream().filter("SYNCED"::equals).count() == 2);
      api.put(APPS + "w-unnamed", app("w-unnamed", "{}", "ssd"));
      api.put(APPS + "w-named", app("w-named", "{}", "ssd"));

      await().atMost(EVENTUALLY).until(() -> watch.seen().contains("ADDED w-named")
          && watch.types().contains("HEARTBEAT"));
      assertThat(watch.seen()).doesNotContain("ADDED w-unnamed");
    }
  }

  @Test
  void resumesFromAResourceVersion() {
    api.put(APPS + "w-resume", app("w-resume", "{}", "ssd"));
    long seen = version(APPS + "w-resume");
    api.put(APPS + "w-resume", app("w-resume", "{}", "spinning"));
    api.put(APPS + "w-resume-2", app("w-resume-2", "{}", "ssd"));

    try (WatchClient watch = WatchClient.open(api, "kind=statefulapps&resourceVersion=" + seen)) {
      await().atMost(EVENTUALLY).until(() -> watch.seen().size() >= 2);
      assertThat(watch.seen()).startsWith("ADDED w-resume", "ADDED w-resume-2");
      // The first event, not the first frame: on a loaded machine a HEARTBEAT may come before it.
      JsonNode first = watch.frames.stream().filter(f -> f.has("object")).findFirst().orElseThrow();
      assertThat(first.path("resourceVersion").asLong()).isGreaterThan(seen);
    }
  }

  @Test
  void aCompactedResourceVersionAsksTheClientToListAgain() {
    api.put(APPS + "w-old", app("w-old", "{}", "ssd"));
    long old = version(APPS + "w-old");
    api.put(APPS + "w-old", app("w-old", "{}", "spinning"));
    api.etcd().compact();

    try (WatchClient watch = WatchClient.open(api, "kind=statefulapps&resourceVersion=" + old)) {
      await().atMost(EVENTUALLY).until(() -> watch.closed.isDone());
      assertThat(watch.frames).hasSize(1);
      assertThat(watch.frames.get(0).path("type").asText()).isEqualTo("ERROR");
      assertThat(watch.frames.get(0).path("code").asInt()).isEqualTo(410);
      assertThat(watch.frames.get(0).path("message").asText()).contains("list again");
      assertThat(watch.closed.join()).startsWith("4410 ");
    }
  }

  /**
   * Several kinds written at once from three threads: the stream is one sequence in strictly
   * increasing resourceVersion, and a watch resumed from any version seen sends exactly the rest
   * of it. (With one store watch per kind the kinds interleaved in any order, and a client
   * resuming from the last version it saw skipped the other kinds' earlier events.)
   */
  @Test
  void aWatchOfSeveralKindsIsOneOrderedSequenceToResumeFrom() throws Exception {
    String query = "kind=statefulapps,nodes,gitsources&labelSelector=order%3Dyes";
    int each = 12;
    try (WatchClient full = WatchClient.open(api, query)) {
      await().atMost(EVENTUALLY).until(() -> full.types().stream().filter("SYNCED"::equals).count() == 3);
      var writers = Executors.newFixedThreadPool(3);
      try {
        var done = List.of(
            writers.submit(() -> writeEach(each, i -> APPS + "o-app" + i % 4,
                i -> app("o-app" + i % 4, "{order: 'yes'}", i / 4 % 2 == 0 ? "ssd" : "spinning"))),
            writers.submit(() -> writeEach(each, i -> "/apis/ferry/v1/nodes/o-node" + i % 4, i -> """
                apiVersion: ferry/v1
                kind: Node
                metadata: {name: o-node%d, labels: {order: 'yes'}}
                spec: {hostname: o-node%d, address: 127.0.1.%d, pool: tank}
                """.formatted(i % 4, i % 4, 10 + i))),
            writers.submit(() -> writeEach(each, i -> "/apis/ferry/v1/gitsources/o-git" + i % 4, i -> """
                apiVersion: ferry/v1
                kind: GitSource
                metadata: {name: o-git%d, labels: {order: 'yes'}}
                spec: {url: "https://git.example/config-%d.git"}
                """.formatted(i % 4, i))));
        for (var write : done) {
          write.get(120, TimeUnit.SECONDS);
        }
      } finally {
        writers.shutdownNow();
      }
      await().atMost(EVENTUALLY).until(() -> changes(full).size() >= 3 * each);
      List<String> sequence = changes(full);
      assertThat(sequence).as("one event per write").hasSize(3 * each);
      List<Long> versions = sequence.stream().map(c -> Long.parseLong(c.split(" ")[0])).toList();
      assertThat(versions).as("resourceVersions in the order sent").isSorted().doesNotHaveDuplicates();

      for (int seen = 0; seen < sequence.size() - 1; seen += 5) {
        long from = versions.get(seen);
        List<String> rest = sequence.subList(seen + 1, sequence.size());
        try (WatchClient resumed = WatchClient.open(api, query + "&resourceVersion=" + from)) {
          await().atMost(EVENTUALLY).until(() -> changes(resumed).size() >= rest.size());
          assertThat(changes(resumed)).as("resumed from %d", from).containsExactlyElementsOf(rest);
        }
      }
    }
  }

  /** Writes {@code count} objects, one after another, each answered 200 or 201. */
  private static Void writeEach(int count, IntFunction<String> path,
      IntFunction<String> body) {
    for (int i = 0; i < count; i++) {
      var response = api.put(path.apply(i), body.apply(i));
      assertThat(response.statusCode()).as("PUT %s: %s", path.apply(i), response.body()).isIn(200, 201);
    }
    return null;
  }

  /** "resourceVersion kind name" of each object frame, in the order they came. */
  private static List<String> changes(WatchClient watch) {
    return watch.frames.stream().filter(f -> f.has("object"))
        .map(f -> f.path("resourceVersion").asLong() + " " + f.at("/object/kind").asText() + " "
            + f.at("/object/metadata/name").asText())
        .toList();
  }

  @Test
  void badParametersAreRefusedBeforeTheUpgrade() {
    assertThat(api.send("GET", "/apis/ferry/v1/watch?kind=pods", ApiFixture.VIEW, null).statusCode()).isEqualTo(400);
    assertThat(api.send("GET", "/apis/ferry/v1/watch?resourceVersion=x", ApiFixture.VIEW, null).statusCode()).isEqualTo(400);
  }

  @Test
  void aSlowClientIsDisconnectedWithAReason() {
    String big = "x".repeat(100_000);
    try (WatchClient slow = WatchClient.slow(api, "kind=statefulapps&name=w-big")) {
      await().atMost(EVENTUALLY).until(() -> !slow.frames.isEmpty());
      var cutOff = api.metrics.registry().counter("ferry.api.watch.slow.disconnects");
      for (int i = 0; i < 300 && cutOff.count() == 0; i++) {
        api.put(APPS + "w-big", app("w-big", "{}", "ssd").replace("  labels: {}",
            "  annotations: {filler: '" + big + i + "'}"));
      }
      await().atMost(EVENTUALLY).until(() -> cutOff.count() == 1);

      slow.catchUp();
      await().atMost(EVENTUALLY).until(() -> slow.closed.isDone());
      assertThat(slow.closed.join()).startsWith("1008 client too slow");
    }
  }
}
