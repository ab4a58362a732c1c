package dev.ferry.testing;

import dev.ferry.api.process.Directories;
import dev.ferry.api.process.FreePort;
import dev.ferry.api.process.EtcdCommand;
import dev.ferry.api.process.ManagedProcess;
import dev.ferry.api.store.EtcdConfig;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-member etcd ({@code /usr/bin/etcd}) for one test class, on free loopback ports
 * with its own data directory:
 *
 * <pre>{@code
 * @RegisterExtension static EtcdExtension etcd = new EtcdExtension();
 * }</pre>
 *
 * <p>Started before the class's first test, stopped and its directory deleted after the last one
 * (whether the tests passed or not); a JVM shutdown hook does the same if the run is killed.
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback {

  public static final Path ETCD = EtcdCommand.ETCD;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private Path dir;
  private int clientPort;
  private int peerPort;
  private ManagedProcess process;
  private Thread cleanupOnExit;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    if (!Files.isExecutable(ETCD)) {
      throw new IllegalStateException(ETCD + " is missing: run ./ferry setup (it installs Debian's etcd-server)");
    }
    dir = Files.createTempDirectory("ferry-etcd-");
    clientPort = FreePort.pick();
    peerPort = FreePort.pick();
    Path ownDir = dir;
    cleanupOnExit = new Thread(() -> {
      stop();
      Directories.delete(ownDir);
    }, "etcd-extension-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      stop();
    } finally {
      Directories.delete(dir);
      Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
    }
  }

  /** The client URL, {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    if (clientPort == 0) {
      throw new IllegalStateException("etcd is not running: register EtcdExtension in a static field");
    }
    return "http://127.0.0.1:" + clientPort;
  }

  /** A config for this etcd with Ferry's default key prefix. */
  public EtcdConfig config() {
    return EtcdConfig.of(endpoint());
  }

  /** Stops etcd (SIGTERM) and starts it again on the same ports and data: clients see it go away. */
  public void restart() {
    stop();
    start();
  }

  /**
   * Kills etcd with SIGKILL, as a crash would: no shutdown, clients see their connections drop.
   * {@link #startAgain} brings it back on the same ports and data.
   */
  public void kill() {
    if (process != null) {
      ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
      process.awaitExit(Duration.ofSeconds(10));
      process = null;
    }
  }

  /** Starts etcd again after {@link #kill}, on the same ports and data. */
  public void startAgain() {
    if (process == null) {
      start();
    }
  }

  /** Compacts the history up to the current revision, which it returns. */
  public long compact() {
    try (Client client = Client.builder().endpoints(endpoint()).build()) {
      long revision = client.getKVClient().get(ByteSequence.from("/", StandardCharsets.UTF_8))
          .get().getHeader().getRevision();
      client.getKVClient().compact(revision, CompactOption.builder().withCompactPhysical(true).build()).get();
      return revision;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while compacting etcd", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot compact etcd at " + endpoint(), e.getCause());
    }
  }

  private void start() {
    String client = endpoint();
    List<String> command = EtcdCommand.of("ferry-test", dir.resolve("data"), clientPort, peerPort);
    process = ManagedProcess.start("etcd", command, Map.of(), dir.resolve("etcd.log"));
    process.awaitReady("healthy at " + client, START_TIMEOUT, this::healthy);
  }

  private void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(10));
      process = null;
    }
  }

  private boolean healthy() {
    HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
        .timeout(Duration.ofSeconds(1)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"true\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

}
