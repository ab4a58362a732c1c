package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ZfsPoolExtension.Pool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
