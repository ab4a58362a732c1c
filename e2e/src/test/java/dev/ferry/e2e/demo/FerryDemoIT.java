package dev.ferry.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.process.FreePort;
import dev.ferry.api.process.ManagedProcess;
import dev.ferry.api.tls.SslContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./ferry demo} as a user runs it (less the build, which {@code mvn verify} has just
 * done, and on ports of its own): it ends with {@code DEMO OK} and leaves no cluster behind.
 */
class FerryDemoIT {

  private Path out;
  private Path stateDir;

  @BeforeEach
  void choose() throws IOException {
    out = TestOutput.directory("FerryDemoIT");
    stateDir = out.resolve("state");
  }

  @AfterEach
  void downWhateverHappened() {
    ferry(List.of("down", "--state-dir", stateDir.toString()), "down");
  }

  @Test
  void theDemoEndsWithDemoOkAndStopsTheCluster() throws IOException {
    List<String> args = new ArrayList<>(List.of("demo", "--no-build"));
    args.addAll(DemoCluster.upOptions(stateDir, out.resolve("ferryctl-config"), FreePort.pick(), FreePort.pick()));

    Path log = ferry(args, "demo");

    List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as(String.join("\n", lines)).isNotEmpty();
    assertThat(lines.get(lines.size() - 1)).as(String.join("\n", lines))
        .startsWith("DEMO OK: 3 todos moved with Redis from node1 (spinning) to node2 (ssd)");
    assertThat(lines).contains("==> Summary", "Buy milk", "Walk the dog", "Move the database to the SSD")
        .anyMatch(l -> l.contains("the cluster is down"));
  }

  @Test
  void theDemoWithKeepLeavesTheClusterUpAndPrintsTheDashboardAndHowToSignIn() throws Exception {
    int controllerPort = FreePort.pick();
    List<String> args = new ArrayList<>(List.of("demo", "--no-build", "--keep"));
    args.addAll(DemoCluster.upOptions(stateDir, out.resolve("ferryctl-config"), FreePort.pick(), controllerPort));

    Path log = ferry(args, "demo-keep");

    String output = Files.readString(log);
    String dashboard = "https://127.0.0.1:" + controllerPort + "/ui/";
    assertThat(output).as(output).contains("DEMO OK: ", "Ferry's dashboard   " + dashboard,
        "grep ',admin$' " + stateDir.toAbsolutePath().normalize() + "/secrets/tokens | cut -d, -f1",
        "./ferry down --state-dir " + stateDir.toAbsolutePath().normalize());
    assertThat(output).doesNotContain("the cluster is down");
    // Still up: the dashboard answers, over the cluster CA's certificate.
    HttpClient http = HttpClient.newBuilder()
        .sslContext(SslContexts.trusting(stateDir.resolve("secrets").resolve("tls").resolve("ca.crt"))).build();
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(dashboard)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Ferry dashboard", "Sign in");
  }

  /** Runs {@code ./ferry ARGS}; returns its output's file. */
  private Path ferry(List<String> args, String name) {
    List<String> command = new ArrayList<>(List.of(DemoCluster.HOME.resolve("ferry").toString()));
    command.addAll(args);
    Path log = out.resolve("ferry-" + name + "-" + System.nanoTime() + ".log");
    ManagedProcess.start("./ferry " + name, command, Map.of(), log).awaitExit(Duration.ofMinutes(10));
    return log;
  }
}
