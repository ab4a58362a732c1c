package dev.ferry.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.Quantity;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 10's fault suite over real processes: one {@code ./ferry up} cluster (every component its
 * own OS process), the demo's Redis ({@code appendfsync always}) under a continuous write load,
 * moved between the nodes with a fault injected when the Migration reaches a phase. Each case
 * checks what a user would: the Migration ends Succeeded or RolledBack within a deadline, every
 * acknowledged write reads back, never two redis-server processes on the dataset (seen in /proc),
 * and the events say what happened.
 *
 * <p>The cases share the cluster and the app to keep the suite within minutes: each starts from a
 * serving app on one node and moves it to the other, so the direction alternates.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {

  private static final Path HOME = Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
  private static final Duration DEADLINE = Duration.ofMinutes(4);
  private static final Duration AGENT_DOWN = Duration.ofSeconds(2);

  private static FaultCluster faults;
  private static RedisUnderLoad redis;

  @BeforeAll
  static void up() throws Exception {
    faults = FaultCluster.up(HOME, Quantity.mebibytes(512));
    redis = RedisUnderLoad.start(faults, HOME, "faulty", 50);
  }

  @AfterAll
  static void down() {
    if (redis != null) {
      redis.close();
    }
    if (faults != null) {
      faults.close(HOME.resolve("e2e/target/fault-suite-logs"));
    }
  }

  @Test
  @Order(1)
  void targetAgentKilledInFinalSyncLosesNothing() throws Exception {
    FaultRun run = redis.move((from, to) -> new Fault.Kill("agent-" + to, AGENT_DOWN), MigrationPhase.FinalSync,
        DEADLINE);

    assertSafe(run);
    System.out.println(FaultRun.header() + "\n" + run.row() + "\n" + run.events());
  }

  private static void assertSafe(FaultRun run) throws Exception {
    assertThat(run.outcome()).as("%s", run).isIn("Succeeded", "RolledBack");
    assertThat(run.writesLost()).as("acknowledged writes lost: %s", redis.lostWrites()).isZero();
    assertThat(run.twoWriters()).as("two redis-server on %s: %s", redis.dataset(), redis.writers().violations())
        .isFalse();
    assertThat(run.writesAcked()).as("writes acknowledged across the move").isPositive();
  }
}
