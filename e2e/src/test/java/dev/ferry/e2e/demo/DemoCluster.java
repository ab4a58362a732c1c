package dev.ferry.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.api.process.FreePort;
import dev.ferry.api.process.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;

/**
 * The one-machine cluster of {@code ./ferry up} for a demo test: free ports, its own pools,
 * state directory and ferryctl context, so that it never meets a developer's cluster. {@link
 * #close()} runs {@code ./ferry down} whatever happened; tests open it with try-with-resources
 * or from {@code @AfterEach}.
 */
final class DemoCluster implements AutoCloseable {

  static final Path HOME = Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path dir;
  private final Path stateDir;
  private final Path ferryctlConfig;
  private final int schedulerPort;
  private final int controllerPort;

  /** A migration as ferryctl shows it, once finished. */
  record MigrationResult(String name, String phase, int rounds, long bytesTransferred, String downtime) {}

  /** A command's exit status and output. */
  record Result(int exit, String output) {}

  private DemoCluster(Path dir) {
    this.dir = dir;
    this.stateDir = dir.resolve("state");
    this.ferryctlConfig = dir.resolve("ferryctl-config");
    this.schedulerPort = FreePort.pick();
    this.controllerPort = FreePort.pick();
  }

  /**
   * Starts a cluster whose files live under {@code dir}. The directory is opened to every user
   * (755): PostgreSQL runs as {@code postgres} and must reach its dataset's mount below it.
   */
  static DemoCluster up(Path dir) throws IOException {
    return up(dir, List.of());
  }

  /** As {@link #up(Path)}, with more options of {@code ./ferry up} (e.g. {@code --node}). */
  static DemoCluster up(Path dir, List<String> moreOptions) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    DemoCluster cluster = new DemoCluster(dir);
    List<String> command = new ArrayList<>(List.of(HOME.resolve("ferry").toString(), "up"));
    command.addAll(upOptions(cluster.stateDir, cluster.ferryctlConfig, cluster.schedulerPort, cluster.controllerPort));
    command.addAll(moreOptions);
    Result up = cluster.run("ferry-up", command);
    if (up.exit() != 0) {
      cluster.close();
      throw new IllegalStateException("./ferry up failed:\n" + up.output());
    }
    return cluster;
  }

  /**
   * Options of {@code ./ferry up} for a cluster of its own: free ports, pools named after a
   * random prefix, the given state directory and ferryctl contexts file.
   */
  static List<String> upOptions(Path stateDir, Path ferryctlConfig, int schedulerPort, int controllerPort) {
    String poolPrefix = "ferrydemo" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    return List.of(
        "--state-dir", stateDir.toString(),
        "--scheduler-port", Integer.toString(schedulerPort),
        "--controller-port", Integer.toString(controllerPort),
        "--agent-port", Integer.toString(FreePort.pick()),
        "--etcd-port", Integer.toString(FreePort.pick()),
        "--etcd-peer-port", Integer.toString(FreePort.pick()),
        "--zookeeper-port", Integer.toString(FreePort.pick()),
        "--pool-prefix", poolPrefix,
        "--pool-size", "1G",
        "--context", "e2e-demo",
        "--ferryctl-config", ferryctlConfig.toString());
  }

  /** Runs {@code ./ferryctl ARGS} against this cluster. */
  Result ferryctl(String... args) {
    List<String> line = new ArrayList<>(List.of(HOME.resolve("ferryctl").toString()));
    line.addAll(List.of(args));
    return run("ferryctl-" + args[0], line);
  }

  /** {@code ferryctl apply -f FILE}, which must succeed. */
  void apply(Path manifest) {
    Result applied = ferryctl("apply", "-f", manifest.toString());
    assertThat(applied.exit()).as(applied.output()).isZero();
  }

  /** Writes a manifest of the repository's manifests/ with one text replaced, for applying. */
  Path manifest(String path, String text, String replacement) throws IOException {
    String original = Files.readString(HOME.resolve("manifests").resolve(path));
    assertThat(original).as("manifests/%s holds %s", path, text).contains(text);
    Path out = dir.resolve("manifest-" + System.nanoTime() + ".yaml");
    Files.writeString(out, original.replace(text, replacement));
    return out;
  }

  static Path manifest(String path) {
    return HOME.resolve("manifests").resolve(path);
  }

  /** HOST:PORT of the running task of a Marathon app, if it has one. */
  Optional<String> taskAddress(String appId) {
    try {
      HttpResponse<String> tasks = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + schedulerPort + "/v2/apps" + appId + "/tasks"))
          .header("Authorization", marathonCredentials().authorization())
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (tasks.statusCode() != 200) {
        return Optional.empty();
      }
      for (JsonNode task : Json.json().readTree(tasks.body()).path("tasks")) {
        if (task.path("state").asText().equals("TASK_RUNNING") && task.path("ports").size() > 0) {
          return Optional.of(task.path("host").asText() + ":" + task.path("ports").path(0).asInt());
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the app's task runs and {@code ready} holds for its address; returns the address. */
  String awaitTask(String appId, Duration within, java.util.function.Predicate<String> ready) {
    return Awaitility.await(appId + " running and ready").atMost(within).pollInterval(Duration.ofSeconds(1))
        .until(() -> taskAddress(appId).filter(ready), Optional::isPresent).orElseThrow();
  }

  /** Waits for the newest migration of the app to {@code toNode} to finish and returns it. */
  MigrationResult awaitMigration(String statefulApp, String toNode, Duration within) {
    return Awaitility.await("a finished migration of " + statefulApp + " to " + toNode).atMost(within)
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> finishedMigration(statefulApp, toNode), Optional::isPresent).orElseThrow();
  }

  private Optional<MigrationResult> finishedMigration(String statefulApp, String toNode) throws IOException {
    Result listed = ferryctl("get", "migrations", "-l", "ferry.dev/statefulapp=" + statefulApp, "-o", "json");
    if (listed.exit() != 0) {
      return Optional.empty();
    }
    JsonNode newest = null;
    for (JsonNode m : Json.json().readTree(listed.output()).path("items")) {
      if (m.path("spec").path("to").asText().equals(toNode) && (newest == null
          || m.path("metadata").path("creationTimestamp").asText().compareTo(newest.path("metadata").path("creationTimestamp").asText()) > 0)) {
        newest = m;
      }
    }
    if (newest == null) {
      return Optional.empty();
    }
    JsonNode status = newest.path("status");
    String phase = status.path("phase").asText("Pending");
    if (!List.of("Succeeded", "RolledBack", "Failed").contains(phase)) {
      return Optional.empty();
    }
    return Optional.of(new MigrationResult(newest.path("metadata").path("name").asText(), phase, status.path("rounds").size(),
        status.path("bytesTransferred").asLong(), status.path("downtime").asText()));
  }

  String schedulerUrl() {
    return "http://127.0.0.1:" + schedulerPort;
  }

  /** Ferry's API: HTTPS, from the cluster CA in the state directory (ferryctl's context names it). */
  String controllerUrl() {
    return "https://127.0.0.1:" + controllerPort;
  }

  /**
   * The SHA-256 of the controller certificate's public key, base64: what Chromium's
   * {@code --ignore-certificate-errors-spki-list} takes to trust this one certificate of the
   * cluster's own CA, and no other.
   */
  String controllerKeyPin() throws IOException {
    try (var in = Files.newInputStream(stateDir.resolve("secrets").resolve("tls").resolve("controller.crt"))) {
      var certificate = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
      return java.util.Base64.getEncoder().encodeToString(digest);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the controller's certificate", e);
    }
  }

  /** The scheduler's basic credentials that {@code ./ferry up} wrote for this cluster. */
  MarathonCredentials marathonCredentials() {
    return MarathonCredentials.read(stateDir.resolve("secrets").resolve("marathon-credentials"));
  }

  /** The admin token that {@code ./ferry up} wrote for this cluster. */
  String token() throws IOException {
    return Files.readAllLines(stateDir.resolve("secrets").resolve("tokens")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow().split(",")[0];
  }

  /**
   * Adds a token of {@code role} for {@code user} to this cluster's tokens file and returns it
   * once the controller accepts it (it reads the file again every two seconds).
   */
  String addToken(String user, String role) throws IOException {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String token = HexFormat.of().formatHex(random);
    Files.writeString(stateDir.resolve("secrets").resolve("tokens"), token + "," + user + "," + role + "\n",
        StandardOpenOption.APPEND);
    Awaitility.await("the controller accepts the new " + role + " token").atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1)).until(() -> ferryctl("--token", token, "get", "nodes").exit() == 0);
    return token;
  }

  /** Runs a command to completion (at most five minutes) with this cluster's ferryctl config. */
  Result run(String name, List<String> command) {
    Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
    ManagedProcess process = ManagedProcess.start(name, command, Map.of("FERRY_CONFIG", ferryctlConfig.toString()), log);
    int exit = process.awaitExit(COMMAND_TIMEOUT);
    try {
      return new Result(exit, Files.readString(log));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code ./ferry down}; the cluster's logs stay in the state directory for a failed test. */
  @Override
  public void close() {
    Result down = run("ferry-down", List.of(HOME.resolve("ferry").toString(), "down", "--state-dir", stateDir.toString()));
    if (down.exit() != 0) {
      throw new IllegalStateException("./ferry down failed:\n" + down.output());
    }
  }
}
