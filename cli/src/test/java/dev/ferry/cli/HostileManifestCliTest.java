package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.HostileManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every hostile manifest through {@code ferryctl apply} and {@code diff}: exit non-zero, the field named, etcd untouched. */
class HostileManifestCliTest extends CliTestCase {

  static Stream<HostileManifests.Case> cases() {
    return HostileManifests.all().stream().filter(c -> !c.oneRequest());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void isRefusedNamingTheField(HostileManifests.Case hostile) throws Exception {
    Path file = Files.writeString(temp.resolve("hostile.yaml"), hostile.manifest());
    long before = ferry.api.revision();

    CliFixture.Run apply = ferry.run("apply", "-f", file.toString());
    CliFixture.Run serverDryRun = ferry.run("apply", "--dry-run=server", "-f", file.toString());
    CliFixture.Run diff = ferry.run("diff", "-f", file.toString());

    assertThat(apply.exit()).isEqualTo(1);
    assertThat(apply.err()).contains(hostile.mentions());
    assertThat(apply.out()).isEmpty();
    assertThat(serverDryRun.exit()).isEqualTo(1);
    assertThat(diff.exit()).isEqualTo(2);
    assertThat(ferry.api.revision()).isEqualTo(before);
  }
}
