package dev.ferry.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.process.Directories;
import dev.ferry.controller.api.ApiFixture;
import dev.ferry.controller.api.WatchClient;
import dev.ferry.controller.statefulapp.AppConditions;
import dev.ferry.testing.EtcdExtension;
import dev.ferry.testing.ZooKeeperExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Secrets as references (issue 11, item 9 "env values readable by view"): a StatefulApp's env
 * names a secret of the controller's secrets directory; a {@code view} token reads the app over
 * GET and the watch and never sees the value, while the task devcluster starts has it in its
 * environment. Real etcd, ZooKeeper, API server, controller and devcluster processes.
 */
class AppSecretsTest {

  private static final String V1 = "/apis/ferry/v1/";

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  @RegisterExtension
  static ZooKeeperExtension zookeeper = new ZooKeeperExtension();

  private static ControllerHarness controller;
  private static ApiFixture api;
  private static Path taskDir;

  @BeforeAll
  static void start() throws Exception {
    taskDir = Files.createTempDirectory("ferry-secret-task");
    controller = new ControllerHarness(etcd.config(), zookeeper.connectString());
    api = ApiFixture.start(etcd.config());
    await().atMost(Duration.ofSeconds(60)).until(() -> controller.duties.running().isPresent());
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (api != null) {
        api.close();
      }
      if (controller != null) {
        controller.close();
      }
    } finally {
      Directories.delete(taskDir);
    }
  }

  private static String app(String name, String source) {
    // The task writes its pid and then becomes sleep (exec keeps the pid and the environment).
    return """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: %s}
        spec:
          app:
            cmd: echo $$ > %s/%s.pid && exec sleep 600
            cpus: 0.1
            mem: 32
            instances: 1
            env: {DB_USER: todos, DB_PASSWORD: {secret: pw}}
            secrets: {pw: {source: %s}}
        """.formatted(name, taskDir, name, source);
  }

  private static Condition ready(String name) {
    StatefulApp app = controller.store.get(Kind.STATEFUL_APP, name).join().orElseThrow();
    return app.status().conditions().stream().filter(c -> c.type().equals(AppConditions.READY)).findFirst().orElse(null);
  }

  @Test
  void aViewTokenNeverReadsTheSecretWhileTheTaskHasItInItsEnvironment() throws Exception {
    String value = "s3cret-" + UUID.randomUUID();
    Path folder = Files.createDirectories(controller.secretsDir.resolve("todos-db"));
    Files.writeString(folder.resolve("password"), value + "\n");

    try (WatchClient watch = WatchClient.open(api, "kind=statefulapps", ApiFixture.VIEW)) {
      HttpResponse<String> applied = api.send("PUT", V1 + "statefulapps/secretive", ApiFixture.EDIT,
          app("secretive", "todos-db/password"));
      assertThat(applied.statusCode()).as(applied.body()).isIn(200, 201);

      Path pidFile = taskDir.resolve("secretive.pid");
      await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      String environ = Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.UTF_8);
      assertThat(environ.split("\0")).contains("DB_PASSWORD=" + value, "DB_USER=todos");

      // The controller wrote the status by now (Ready follows the running task): the watch saw it.
      await().atMost(Duration.ofSeconds(120)).until(() -> ready("secretive") != null && ready("secretive").isTrue());
      HttpResponse<String> one = api.send("GET", V1 + "statefulapps/secretive", ApiFixture.VIEW, null);
      HttpResponse<String> list = api.send("GET", V1 + "statefulapps", ApiFixture.VIEW, null);
      assertThat(one.statusCode()).isEqualTo(200);
      assertThat(one.body()).contains("\"secret\":\"pw\"").contains("todos-db/password").doesNotContain(value);
      assertThat(list.body()).contains("secretive").doesNotContain(value);
      await().atMost(Duration.ofSeconds(60)).until(() -> watch.frames.stream()
          .anyMatch(f -> f.at("/object/metadata/name").asText().equals("secretive")
              && f.at("/object/status/phase").asText().equals("Running")));
      assertThat(watch.frames).isNotEmpty().allSatisfy(f -> assertThat(f.toString()).doesNotContain(value));
      assertThat(controller.store.get(Kind.STATEFUL_APP, "secretive").join().orElseThrow().toString())
          .as("etcd holds the reference only").doesNotContain(value);
    }
  }

  @Test
  void aReferenceToAMissingSecretIsAConditionNamingTheFieldAndNothingReachesMarathon() {
    HttpResponse<String> applied = api.send("PUT", V1 + "statefulapps/unresolved", ApiFixture.EDIT,
        app("unresolved", "nobody/password"));
    assertThat(applied.statusCode()).as(applied.body()).isIn(200, 201);

    await().atMost(Duration.ofSeconds(120)).until(() -> ready("unresolved") != null
        && ready("unresolved").reason().equals("SecretUnresolved"));
    assertThat(ready("unresolved").isTrue()).isFalse();
    assertThat(ready("unresolved").message()).contains("spec.app.secrets.pw.source")
        .contains("no secret nobody/password in the controller's secrets directory");
    assertThat(controller.marathonClient.app("/unresolved").await()).as("Marathon got no app").isEmpty();
  }
}
