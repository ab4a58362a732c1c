package dev.ferry.devcluster.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.devcluster.apps.AppId;
import dev.ferry.devcluster.apps.HealthCheckSpec;
import dev.ferry.devcluster.tasks.Task;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The monitor against a real HTTP server that answers 503 until the app is "up". */
class HealthMonitorTest {

  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private volatile int failFirst;
  private HttpServer server;
  private HealthProbe probe;
  private HealthMonitor monitor;

  @BeforeEach
  void start() throws Exception {
    server = vertx.createHttpServer()
        .requestHandler(r -> r.response().setStatusCode(requests.incrementAndGet() <= failFirst ? 503 : 200).end())
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    probe = new HealthProbe(vertx);
    monitor = new HealthMonitor(vertx, probe, new HealthMonitor.Listener() {
      @Override
      public void healthChanged(String taskId, boolean alive) {
        heard.add(alive ? "healthy" : "not healthy");
      }

      @Override
      public void unhealthy(String taskId, String cause) {
        heard.add("unhealthy: " + cause);
      }
    });
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void appThatAnswersAfterTheLaunchProbeIsSeenHealthyBeforeTheNextInterval() {
    failFirst = 3;
    // Once a minute: without startup probes the second probe, the first that can pass, comes a minute on.
    watch(check(60, 300, 3));

    await().atMost(Duration.ofSeconds(30)).until(() -> heard.contains("healthy"));
    assertThat(monitor.results("t1")).singleElement().satisfies(r -> {
      assertThat(r.alive()).isTrue();
      assertThat(r.firstSuccess()).isPresent();
    });
  }

  @Test
  void startupProbeFailuresDoNotCountTowardMaxConsecutiveFailures() {
    // No grace period and 2 failures allowed: the launch probe's failure counts, the startup probes' do not.
    failFirst = 6;
    watch(check(60, 0, 2));

    await().atMost(Duration.ofSeconds(30)).until(() -> heard.contains("healthy"));
    assertThat(requests.get()).isGreaterThan(failFirst);
    assertThat(heard).containsExactly("healthy");
    assertThat(monitor.results("t1")).singleElement().satisfies(r -> {
      assertThat(r.consecutiveFailures()).isZero();
      assertThat(r.lastFailureCause()).contains("HTTP status 503");
    });
  }

  @Test
  void aTaskIsNotHealthyBeforeItsCheckPasses() {
    failFirst = Integer.MAX_VALUE;
    watch(check(60, 300, 3));

    await().atMost(Duration.ofSeconds(30)).until(() -> requests.get() >= 5);
    assertThat(heard).isEmpty();
    assertThat(monitor.healthy("t1")).isFalse();
  }

  private HealthCheckSpec check(long intervalSeconds, long graceSeconds, int maxConsecutiveFailures) {
    ObjectNode json = Json.json().createObjectNode().put("protocol", "HTTP").put("path", "/")
        .put("intervalSeconds", intervalSeconds).put("gracePeriodSeconds", graceSeconds)
        .put("maxConsecutiveFailures", maxConsecutiveFailures);
    return HealthCheckSpec.from(json);
  }

  private void watch(HealthCheckSpec check) {
    Task task = Task.staged("t1", AppId.of("/app"), "v1", "node1", "127.0.0.1", "s1",
        List.of(server.actualPort()), Instant.now(), 0.1, 16);
    vertx.runOnContext(v -> monitor.watch(task, List.of(check), Path.of("/"), Map.of()));
  }
}
