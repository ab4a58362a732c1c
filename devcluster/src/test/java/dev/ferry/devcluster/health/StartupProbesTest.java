package dev.ferry.devcluster.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.codec.Json;
import dev.ferry.devcluster.apps.HealthCheckSpec;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StartupProbesTest {

  @ParameterizedTest(name = "{0} grace {1}s interval {2}s, {3} ms after launch, passed {4}: next in {5} ms")
  @CsvSource({
      // a network check that has not passed: probed every few ms within the grace period
      "TCP,         30, 2,  0,     false, 20",
      "HTTP,        30, 2,  29999, false, 20",
      "MESOS_HTTP,  30, 2,  100,   false, 20",
      "HTTPS,       30, 2,  100,   false, 20",
      // at the first success it stops: the interval's probes take over
      "TCP,         30, 2,  100,   true,  -1",
      // after the grace period (but at least one interval) it stops
      "TCP,         30, 2,  30000, false, -1",
      "TCP,         0,  2,  1999,  false, 20",
      "TCP,         0,  2,  2000,  false, -1",
      // never longer than a minute, whatever the grace period (Marathon's default is 300 s)
      "TCP,         300, 60, 59999, false, 20",
      "TCP,         300, 60, 60000, false, -1",
      // a command forks a shell: only on its interval
      "COMMAND,     30, 2,  0,     false, -1",
  })
  void probesUntilFirstSuccessWithinTheWindow(String protocol, long grace, long interval, long sinceMs,
      boolean passed, long expectedMs) {
    HealthCheckSpec check = HealthCheckSpec.from(Json.json().createObjectNode().put("protocol", protocol)
        .put("gracePeriodSeconds", grace).put("intervalSeconds", interval));

    Optional<Duration> next = StartupProbes.next(check, Duration.ofMillis(sinceMs), passed);

    assertThat(next).isEqualTo(expectedMs < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(expectedMs)));
  }
}
