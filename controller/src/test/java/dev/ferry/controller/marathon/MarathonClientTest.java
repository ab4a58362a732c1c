package dev.ferry.controller.marathon;

import dev.ferry.api.process.Directories;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.controller.statefulapp.MarathonView;
import dev.ferry.devcluster.Devcluster;
import dev.ferry.devcluster.DevclusterConfig;
import dev.ferry.devcluster.marathon.ApiAccess;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Marathon client against devcluster, Ferry's Marathon-compatible scheduler, with real tasks
 * and basic authentication.
 */
class MarathonClientTest {

  private static final Vertx VERTX = Vertx.vertx();
  private static final MarathonCredentials CREDENTIALS = new MarathonCredentials("ferry", UUID.randomUUID().toString());
  private static Path stateDir;
  private static Devcluster marathon;
  private static MarathonClient client;

  @BeforeAll
  static void startMarathon() throws Exception {
    stateDir = Files.createTempDirectory("ferry-marathon-client");
    marathon = Devcluster.start(VERTX, new DevclusterConfig("127.0.0.1", 0, DevclusterConfig.seedNodes(), stateDir, false,
        ApiAccess.authenticated(CREDENTIALS))).await();
    client = new MarathonClient(VERTX, () -> URI.create(marathon.url()), Optional.of(CREDENTIALS));
  }

  @AfterAll
  static void stopMarathon() throws Exception {
    try {
      if (client != null) {
        client.close();
      }
      if (marathon != null) {
        marathon.stop().await();
      }
    } finally {
      VERTX.close().await();
      Directories.delete(stateDir);
    }
  }

  private static ObjectNode app(String id, String json) throws Exception {
    ObjectNode app = (ObjectNode) Json.json().readTree(json);
    app.put("id", id);
    return app;
  }

  private static Throwable failure(io.vertx.core.Future<?> future) {
    try {
      future.await();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return e.getCause();
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Test
  void writesAnAppAndReadsItBackWithItsTask() throws Exception {
    String deployment = client.putApp("/sleeper", app("/sleeper",
        "{\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16,\"instances\":1,\"constraints\":[[\"hostname\",\"CLUSTER\",\"node2\"]],"
            + "\"labels\":{\"FERRY_STATEFULAPP\":\"sleeper\"}}"), false).await();

    assertThat(deployment).isNotEmpty();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.app("/sleeper").await()
        .map(v -> v.runningTasks() == 1).orElse(false));
    MarathonView view = client.app("/sleeper").await().orElseThrow();
    assertThat(view.tasks()).singleElement().satisfies(t -> assertThat(t.host()).isEqualTo("127.0.1.2"));
    assertThat(MarathonApps.owner(view.app())).contains("sleeper");
    assertThat(client.appsLabelled("FERRY_STATEFULAPP").await()).extracting(v -> v.app().path("id").asText())
        .contains("/sleeper");

    client.deleteApp("/sleeper").await();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.app("/sleeper").await().isEmpty());
  }

  @Test
  void aWriteReplacesTheAppSoAFieldRemovedFromTheSpecGoes() throws Exception {
    client.putApp("/replaced", app("/replaced", "{\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16,\"instances\":0,"
        + "\"env\":{\"OLD\":\"1\"},\"labels\":{\"team\":\"a\"}}"), false).await();
    client.putApp("/replaced", app("/replaced", "{\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16,\"instances\":0}"), true)
        .await();

    MarathonView view = client.app("/replaced").await().orElseThrow();
    assertThat(view.app().path("env").has("OLD")).isFalse();
    assertThat(view.app().path("labels").has("team")).isFalse();
    client.deleteApp("/replaced").await();
  }

  @Test
  void anAppMarathonRefusesComesBackWithItsDetails() {
    Throwable e = failure(client.putApp("/both", (ObjectNode) Json.json().createObjectNode()
        .put("id", "/both").put("cmd", "sleep 1").set("args", Json.json().createArrayNode().add("sleep")), false));

    assertThat(e).isInstanceOf(MarathonRejectedException.class);
    assertThat(((MarathonRejectedException) e).status()).isEqualTo(422);
    assertThat(((MarathonRejectedException) e).details()).isNotEmpty();
  }

  @Test
  void aRunningDeploymentLocksTheAppUntilForced() throws Exception {
    // A health check that never passes keeps the deployment running.
    ObjectNode stuck = app("/stuck", "{\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16,\"instances\":1,"
        + "\"healthChecks\":[{\"protocol\":\"COMMAND\",\"command\":{\"value\":\"false\"},\"gracePeriodSeconds\":600,"
        + "\"intervalSeconds\":60}]}");
    client.putApp("/stuck", stuck, false).await();

    ObjectNode changed = stuck.deepCopy().put("mem", 32);
    assertThat(failure(client.putApp("/stuck", changed, false))).isInstanceOfSatisfying(MarathonLockedException.class,
        e -> assertThat(e.deployments()).isNotEmpty());
    assertThat(client.putApp("/stuck", changed, true).await()).isNotEmpty();

    client.deleteApp("/stuck").await();
  }

  @Test
  void withoutTheCredentialsMarathonRefusesEveryCallWith401() throws Exception {
    MarathonCredentials wrong = new MarathonCredentials("ferry", "guess");
    for (Optional<MarathonCredentials> credentials : List.of(Optional.<MarathonCredentials>empty(), Optional.of(wrong))) {
      try (MarathonClient stranger = new MarathonClient(VERTX, () -> URI.create(marathon.url()), credentials)) {
        assertThatThrownBy(() -> stranger.app("/nobody").await()).isInstanceOf(MarathonException.class)
            .hasMessageContaining("401").hasMessageContaining("Invalid username or password.")
            .hasMessageNotContaining(CREDENTIALS.password());
        assertThatThrownBy(() -> stranger.putApp("/intruder", app("/intruder", "{\"cmd\":\"sleep 600\"}"), true).await())
            .isInstanceOf(MarathonException.class).hasMessageContaining("401");
        AtomicInteger connects = new AtomicInteger();
        try (MarathonEventStream stream = stranger.events(e -> { }, connects::incrementAndGet).start()) {
          await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> connects.get() == 0);
        }
      }
    }
    assertThat(client.app("/intruder").await()).as("nothing was created").isEmpty();
  }

  @Test
  void missingAppsAreEmptyAndDeletingThemIsFine() {
    assertThat(client.app("/nobody").await()).isEqualTo(Optional.empty());
    client.deleteApp("/nobody").await();
  }

  @Test
  void theEventStreamDeliversWhatHappensToAnApp() throws Exception {
    List<MarathonEvent> events = new CopyOnWriteArrayList<>();
    AtomicInteger connects = new AtomicInteger();
    try (MarathonEventStream stream = client.events(events::add, connects::incrementAndGet).start()) {
      await().until(() -> connects.get() == 1);
      client.putApp("/evented", app("/evented", "{\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16,\"instances\":1}"), false)
          .await();

      await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(e -> e.type().equals("status_update_event")
          && e.appId().equals(Optional.of("/evented")) && e.data().path("taskStatus").asText().equals("TASK_RUNNING")));
      assertThat(events).anySatisfy(e -> {
        assertThat(e.type()).isEqualTo("api_post_event");
        assertThat(e.appId()).contains("/evented");
      });
      assertThat(events).anySatisfy(e -> {
        assertThat(e.type()).startsWith("deployment_");
        assertThat(e.deploymentApps()).contains("/evented");
      });
    } finally {
      client.deleteApp("/evented").await();
    }
  }
}
