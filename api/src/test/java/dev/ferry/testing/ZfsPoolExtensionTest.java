package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.testing.ZfsPoolExtension.Pool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ZfsPoolExtensionTest {

  @RegisterExtension
  final ZfsPoolExtension pools = ZfsPoolExtension.perTest();

  private static final List<Pool> SEEN = new ArrayList<>();

  @Test
  void givesEachTestAnOnlinePoolWithAMountDirectory(Pool pool) throws Exception {
    SEEN.add(pool);
    assertThat(pool.name()).startsWith("ferrytest-");
    assertThat(zpool("list", "-H", "-o", "name,health", pool.name())).contains(pool.name() + "\tONLINE");
    assertThat(pool.mountRoot()).isEmptyDirectory();
  }

  @Test
  void createsFurtherPoolsThatEndWithTheTest() throws Exception {
    Pool extra = pools.create(ZfsPoolExtension.MIN_SIZE);
    SEEN.add(extra);
    SEEN.add(pools.pool());
    assertThat(extra.name()).isNotEqualTo(pools.pool().name());
    assertThat(zpool("list", "-H", "-o", "name", extra.name())).contains(extra.name());
  }

  /**
   * A process a test left running inside a dataset is reported, and killed before the pool goes:
   * zfs-fuse force-unmounting a filesystem with a process inside it can wedge the daemon.
   */
  @Test
  void aProcessLeftInsideADatasetIsKilledReportedAndThePoolStillGoes() throws Exception {
    ZfsPoolExtension own = ZfsPoolExtension.perClass();
    Pool pool = own.create(ZfsPoolExtension.MIN_SIZE);
    SEEN.add(pool);
    Path data = pool.mountRoot().resolve("data");
    run("zfs", "create", "-o", "mountpoint=" + data, pool.name() + "/data");
    Process leaked = new ProcessBuilder("sleep", "600").directory(data.toFile()).start();
    try {
      assertThatThrownBy(() -> own.afterAll(null)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(pool.name()).hasMessageContaining("killed").hasMessageContaining("sleep 600");
      assertThat(leaked.waitFor(10, TimeUnit.SECONDS)).as("the leaked process ended").isTrue();
    } finally {
      leaked.destroyForcibly();
    }
  }

  @AfterAll
  static void everyPoolAndFileIsGone() throws Exception {
    for (Pool pool : SEEN) {
      assertThat(zpool("list", "-H", "-o", "name")).doesNotContain(pool.name());
      assertThat(pool.file()).doesNotExist();
    }
  }

  private static String zpool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("zpool"));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
