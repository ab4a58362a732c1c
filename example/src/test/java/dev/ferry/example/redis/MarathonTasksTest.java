package dev.ferry.example.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class MarathonTasksTest {

  @Test
  void picksARunningHealthyTasksFirstPort() {
    JsonObject body = new JsonObject("""
        {"tasks": [
          {"host": "127.0.1.1", "ports": [31001], "state": "TASK_KILLING"},
          {"host": "127.0.1.1", "ports": [31002], "state": "TASK_RUNNING", "healthCheckResults": [{"alive": false}]},
          {"host": "127.0.1.2", "ports": [31003, 31004], "state": "TASK_RUNNING", "healthCheckResults": [{"alive": true}]}
        ]}""");

    assertThat(MarathonTasks.pick(body)).contains(new RedisAddress("127.0.1.2", 31003));
  }

  @Test
  void takesARunningTaskWhoseHealthIsNotKnownYet() {
    JsonObject body = new JsonObject("""
        {"tasks": [{"host": "127.0.1.1", "ports": [31002], "state": "TASK_RUNNING", "healthCheckResults": [{"alive": false}]}]}""");

    assertThat(MarathonTasks.pick(body)).contains(new RedisAddress("127.0.1.1", 31002));
  }

  @Test
  void findsNothingWhileNoTaskRuns() {
    assertThat(MarathonTasks.pick(new JsonObject("{\"tasks\": []}"))).isEmpty();
    assertThat(MarathonTasks.pick(new JsonObject("{\"tasks\": [{\"host\": \"h\", \"ports\": [], \"state\": \"TASK_RUNNING\"}]}"))).isEmpty();
  }
}
