package dev.ferry.api.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {

  @TempDir
  Path dir;

  @Test
  void processThatExitsBeforeListeningIsReportedWithItsLog() {
    ManagedProcess process = ManagedProcess.start("failing",
        List.of("/bin/sh", "-c", "echo \"cannot bind: $WHY\" >&2; exit 3"), Map.of("WHY", "taken"),
        dir.resolve("failing.log"));

    assertThatIllegalStateException()
        .isThrownBy(() -> process.awaitPort("127.0.0.1", FreePort.pick(), Duration.ofSeconds(10)))
        .withMessageContaining("failing exited with 3")
        .withMessageContaining("cannot bind: taken");
  }

  @Test
  void stopEndsTheProcessAndItsChildren() {
    ManagedProcess process = ManagedProcess.start("sleeper",
        List.of("/bin/sh", "-c", "sleep 60 & sleep 60"), Map.of(), dir.resolve("sleeper.log"));
    await().atMost(Duration.ofSeconds(5))
        .until(() -> ProcessHandle.of(process.pid()).orElseThrow().descendants().count() == 2);
    List<ProcessHandle> children =
        ProcessHandle.of(process.pid()).orElseThrow().descendants().toList();

    process.stop(Duration.ofSeconds(2));

    assertThat(process.isAlive()).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void awaitExitReturnsTheExitStatus() {
    ManagedProcess process = ManagedProcess.start("exits",
        List.of("/bin/sh", "-c", "echo done; exit 7"), Map.of(), dir.resolve("exits.log"));

    assertThat(process.awaitExit(Duration.ofSeconds(10))).isEqualTo(7);
    assertThat(process.logTail()).contains("done");
  }

  @Test
  void awaitExitStopsAProcessThatOutlivesItsTimeout() {
    ManagedProcess process = ManagedProcess.start("stuck",
        List.of("sleep", "60"), Map.of(), dir.resolve("stuck.log"));

    assertThatIllegalStateException()
        .isThrownBy(() -> process.awaitExit(Duration.ofMillis(200)))
        .withMessageContaining("stuck still ran after");
    assertThat(process.isAlive()).isFalse();
  }
}
