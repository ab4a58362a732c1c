package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.controller.api.ApiFixture;
import dev.ferry.controller.api.ApiServerOptions;
import dev.ferry.controller.gitops.GitSyncTrigger;
import dev.ferry.testing.EtcdExtension;
import dev.ferry.testing.TestManifests;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code get -w} across a controller that goes away and comes back on the same address: it
 * reconnects and prints what changed meanwhile; if the history it needed was compacted
 * meanwhile (410), it lists again; and every row stays under the header's columns. {@code wait}
 * outlasts it the same way.
 */
class GetWatchTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  static final Duration EVENTUALLY = Duration.ofSeconds(60);
  static final String APPS = "/apis/ferry/v1/statefulapps/";

  @TempDir
  Path home;

  private final List<ApiFixture> servers = new ArrayList<>();
  private int port;

  @AfterEach
  void stopServers() {
    servers.forEach(ApiFixture::close);
  }

  /** An API server on {@link #port}, the address ferryctl was given. */
  private ApiFixture startServer(int on) {
    ApiFixture api = ApiFixture.start(etcd.config(), ApiServerOptions.defaults().withListen("127.0.0.1", on),
        GitSyncTrigger.NOT_RUNNING);
    servers.add(api);
    return api;
  }

  private void stop(ApiFixture api) {
    servers.remove(api);
    api.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void put(ApiFixture api, String name, String disk) {
    String label = "{watch: " + name.substring(0, name.indexOf('-')) + "}";
    assertThat(api.put(APPS + name, TestManifests.redisApp(name, label, disk)).statusCode()).isIn(200, 201);
  }

  @Test
  void reconnectsAfterTheServerWentAwayAndMissesNothing() throws Exception {
    port = freePort();
    ApiFixture first = startServer(port);
    // A long name in the list: the rows a watch adds later must still line up with its widths.
    put(first, "rc-a-long-name-in-the-list", "ssd");

    try (CliFixture.Background watch = CliFixture.background("http://127.0.0.1:" + port, home,
        "get", "statefulapps", "-l", "watch=rc", "-w")) {
      await().atMost(EVENTUALLY).until(() -> watch.output().contains("rc-a-long-name-in-the-list"));

      stop(first);
      await().atMost(EVENTUALLY).until(() -> watch.errors().contains("reconnecting"));
      // Written while ferryctl has no connection: a later connection must still bring it.
      ApiFixture elsewhere = startServer(0);
      put(elsewhere, "rc-meanwhile", "ssd");
      stop(elsewhere);
      ApiFixture second = startServer(port);
      await().atMost(EVENTUALLY).until(() -> watch.output().contains("rc-meanwhile"));
      put(second, "rc-b", "spinning");
      await().atMost(EVENTUALLY).until(() -> watch.output().contains("rc-b"));

      assertThat(watch.thread().isAlive()).as("still watching; stderr: %s", watch.errors()).isTrue();
      assertThat(watch.errors()).contains("watch interrupted (").doesNotContain("error:");
      assertRowsUnderHeader(watch.output());
    }
  }

  @Test
  void listsAgainWhenTheHistoryItNeededWasCompacted() throws Exception {
    port = freePort();
    ApiFixture first = startServer(port);
    put(first, "gone-old", "ssd");

    try (CliFixture.Background watch = CliFixture.background("http://127.0.0.1:" + port, home,
        "get", "statefulapps", "-l", "watch=gone", "-w", "-o", "custom-columns=NAME:.metadata.name,DISK:.spec.placement.constraints[0][2]")) {
      await().atMost(EVENTUALLY).until(() -> watch.output().contains("gone-old"));

      stop(first);
      ApiFixture elsewhere = startServer(0);
      put(elsewhere, "gone-old", "spinning");
      stop(elsewhere);
      etcd.compact();
      startServer(port);

      await().atMost(EVENTUALLY).until(() -> watch.output().lines().anyMatch(l -> l.matches("gone-old\\s+spinning")));
      assertThat(watch.thread().isAlive()).as("still watching; stderr: %s", watch.errors()).isTrue();
      assertThat(watch.output()).startsWith("NAME       DISK\ngone-old   ssd\n");
      assertRowsUnderHeader(watch.output());
    }
  }

  @Test
  void waitOutlastsTheServerGoingAway() throws Exception {
    port = freePort();
    ApiFixture first = startServer(port);
    put(first, "hold-wait", "ssd");

    try (CliFixture.Background waiting = CliFixture.background("http://127.0.0.1:" + port, home,
        "wait", "--for=jsonpath={.spec.placement.constraints[0][2]}=spinning", "statefulapp/hold-wait", "--timeout", "5m")) {
      await().atMost(EVENTUALLY).until(() -> first.metrics.scrape().lines().anyMatch(l -> l.matches("ferry_api_watches [1-9].*")));
      stop(first);
      await().atMost(EVENTUALLY).until(() -> waiting.errors().contains("reconnecting"));
      put(startServer(port), "hold-wait", "spinning");

      waiting.thread().join(EVENTUALLY.toMillis());
      assertThat(waiting.thread().isAlive()).isFalse();
      assertThat(waiting.output()).isEqualTo("statefulapp/hold-wait condition met\n");
    }
  }

  /** Each column of each row starts where its header does. */
  private static void assertRowsUnderHeader(String output) {
    List<String> lines = output.lines().toList();
    String header = lines.get(0);
    List<Integer> starts = new ArrayList<>();
    for (int i = 1; i < header.length(); i++) {
      if (header.charAt(i - 1) == ' ' && header.charAt(i) != ' ') {
        starts.add(i);
      }
    }
    assertThat(starts).isNotEmpty();
    for (String row : lines.subList(1, lines.size())) {
      for (int start : starts) {
        assertThat(Optional.of(row).filter(r -> r.length() > start).map(r -> r.charAt(start - 1) == ' ' && r.charAt(start) != ' '))
            .as("a column of %s starts at %d, under the header %s", row, start, header).contains(true);
      }
    }
  }
}
