package dev.ferry.cli;

import static dev.ferry.cli.FerryctlTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.model.StatefulAppStatus;
import dev.ferry.testing.TestManifests;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ferryctl wait} as a script uses it: it returns 0 once the condition holds (set here by
 * the test, standing in for the controller), and 1 with how the object stands when the timeout
 * passes first.
 */
class WaitCommandTest extends CliTestCase {

  static void apply(String name) throws Exception {
    CliFixture.Run applied = ferry.run("apply", "-f", write("wait/" + name + ".yaml",
        TestManifests.redisApp(name, "{}", "ssd")).toString());
    assertThat(applied.exit()).as(applied.err()).isZero();
  }

  /** Sets the app's Ready condition, as the controller does. */
  static void ready(String name, String status, String reason, String message) {
    StatefulApp app = ferry.api.store.get(Kind.STATEFUL_APP, name).join().orElseThrow();
    StatefulAppStatus now = new StatefulAppStatus(0, "node1", "Running",
        List.of(new Condition("Ready", status, reason, message, Instant.now(), 0)), null);
    ferry.api.store.updateStatus(app.withStatus(now)).join();
  }

  static CompletableFuture<CliFixture.Run> inBackground(String... args) {
    return CompletableFuture.supplyAsync(() -> ferry.run(args));
  }

  @Test
  void returnsOnceTheAppTurnsReady() throws Exception {
    apply("wait-db");
    ready("wait-db", "False", "Starting", "task staging");

    CompletableFuture<CliFixture.Run> waiting = inBackground("wait", "--for=condition=Ready", "statefulapp/wait-db", "--timeout", "2m");
    assertThat(waiting).as("Ready is False: nothing to return yet").isNotDone();
    ready("wait-db", "True", "Running", "");
    CliFixture.Run run = waiting.get(120, TimeUnit.SECONDS);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("statefulapp/wait-db condition met\n");
  }

  @Test
  void timesOutWithHowTheObjectStands() throws Exception {
    apply("wait-slow");
    ready("wait-slow", "False", "Starting", "task staging");

    CliFixture.Run run = ferry.run("wait", "--for=condition=Ready", "statefulapps", "wait-slow", "--timeout", "1s");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("error: timed out after 1s waiting for statefulapp/wait-slow (condition=Ready):"
        + " condition Ready is False (Starting): task staging\n");
  }

  @Test
  void waitsForAFieldsValueAndForDeletion() throws Exception {
    apply("wait-gone");
    ready("wait-gone", "True", "Running", "");

    CliFixture.Run phase = ferry.run("wait", "--for=jsonpath='{.status.phase}'=Running", "statefulapp/wait-gone");
    CompletableFuture<CliFixture.Run> deleting = inBackground("wait", "--for=delete", "statefulapp/wait-gone", "--timeout", "2m");
    assertThat(deleting).as("it still exists").isNotDone();
    ferry.api.store.delete(Kind.STATEFUL_APP, "wait-gone", 0).join();
    CliFixture.Run deleted = deleting.get(120, TimeUnit.SECONDS);

    assertThat(phase.exit()).as(phase.err()).isZero();
    assertThat(phase.out()).isEqualTo("statefulapp/wait-gone condition met\n");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(deleted.out()).isEqualTo("statefulapp/wait-gone deleted\n");
  }

  @Test
  void refusesAMissingObjectAndABadCondition() {
    CliFixture.Run missing = ferry.run("wait", "--for=condition=Ready", "statefulapp/no-such-app");
    CliFixture.Run bad = ferry.run("wait", "--for=ready", "statefulapp/no-such-app");
    CliFixture.Run noKind = ferry.run("wait", "--for=delete", "no-such-app");

    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("Error from server (NotFound): statefulapps \"no-such-app\" not found\n");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).startsWith("error: --for: 'ready' is not something to wait for");
    assertThat(noKind.exit()).isEqualTo(1);
    assertThat(noKind.err()).startsWith("error: say which objects: KIND/NAME");
  }
}
