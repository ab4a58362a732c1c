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
 * done, and on ports of its own): it ends with {@code DEMO OK}, and leaves no cluster behind once
 * it is stopped.
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

  /**
   * One demo run (each takes a minute or more): with {@code --keep} it ends DEMO OK and leaves the
   * cluster up with its dashboard answering; {@code ./ferry down} then stops it, as the demo itself
   * does at its end without {@code --keep} (scripts/demo.sh runs the same command).
   */
  @Test
  void theDemoEndsWithDemoOkLeavesTheDashboardUpWithKeepAndDownStopsIt() throws Exception {
    int controllerPort = FreePort.pick();
    List<String> args = new ArrayList<>(List.of("demo", "--no-build", "--keep"));
    args.addAll(DemoCluster.upOptions(stateDir, out.resolve("ferryctl-config"), FreePort.pick(), controllerPort));

    Path log = ferry(args, "demo-keep");

    List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
    String output = String.join("\n", lines);
    assertThat(lines).as(output).isNotEmpty();
    assertThat(lines.get(lines.size() - 1)).as(output)
        .startsWith("DEMO OK: 3 todos moved with Redis from node1 (spinning) to node2 (ssd)");
    assertThat(lines).as(output).contains("==> Summary", "Buy milk", "Walk the dog", "Move the database to the SSD");
    String dashboard = "https://127.0.0.1:" + controllerPort + "/ui/";
    assertThat(output).as(output).contains("Ferry's dashboard   " + dashboard,
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

    String down = Files.readString(ferry(List.of("down", "--state-dir", stateDir.toString()), "down"));
    assertThat(down).as(down).contains("the cluster is down");
    String dir = stateDir.toAbsolutePath().normalize().toString();
    assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(dir))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList())
        .as("processes of the demo's cluster after ./ferry down").isEmpty();
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
