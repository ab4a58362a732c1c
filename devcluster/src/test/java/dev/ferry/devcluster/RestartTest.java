package dev.ferry.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** State on disk: a restarted scheduler knows its apps and runs their tasks again. */
class RestartTest {

  @Test
  void aRestartedSchedulerKnowsItsAppsAndRelaunchesTheirTasks() throws Exception {
    Path stateDir = Files.createTempDirectory("devcluster-restart");
    try {
      TestCluster first = new TestCluster(DevclusterConfig.seedNodes(), false, stateDir);
      try {
        assertThat(first.call("POST", "/v2/apps", "{\"id\":\"/keep\",\"cmd\":\"exec sleep 600\",\"cpus\":0.1,\"mem\":16}").status())
            .isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() ->
            first.call("GET", "/v2/apps/keep", null).body().path("app").path("tasksRunning").asInt() == 1);
      } finally {
        first.stopKeepingState();
      }
      assertThat(TestCluster.processesUnder(stateDir)).as("a clean stop ends every task").isEmpty();
      try (TestCluster second = new TestCluster(DevclusterConfig.seedNodes(), false, stateDir)) {
        assertThat(second.call("GET", "/v2/apps/keep", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() ->
            second.call("GET", "/v2/apps/keep", null).body().path("app").path("tasksRunning").asInt() == 1);
      }
    } finally {
      TestCluster.processesUnder(stateDir).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      TestCluster.delete(stateDir);
    }
  }
}
