package dev.ferry.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.marathon.MarathonCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevclusterConfigTest {

  @Test
  void withoutCredentialsItRefusesToStartUnlessToldExplicitly() {
    assertThatThrownBy(() -> DevclusterConfig.parse(new String[0]))
        .hasMessageContaining("--http_credentials_file").hasMessageContaining("--insecure-no-auth");
    assertThat(DevclusterConfig.parse(new String[] {"--insecure-no-auth"}).access().credentials()).isEmpty();
    assertThatThrownBy(() -> DevclusterConfig.parse(new String[] {"--insecure-no-auth", "--http_credentials", "u:p"}))
        .hasMessageContaining("contradict");
  }

  @Test
  void takesMarathonsFlagsAndACredentialsFile(@TempDir Path dir) throws Exception {
    DevclusterConfig flag = DevclusterConfig.parse(new String[] {"--http_credentials", "u:p", "--http_realm", "Ferry",
        "--server-name", "devbox"});
    assertThat(flag.access().credentials()).contains(new MarathonCredentials("u", "p"));
    assertThat(flag.access().realm()).isEqualTo("Ferry");
    assertThat(flag.access().serverNames()).isEqualTo(List.of("devbox"));
    Path file = dir.resolve("creds");
    Files.writeString(file, "ferry:s3cret\n");
    assertThat(DevclusterConfig.parse(new String[] {"--http_credentials_file", file.toString()}).access().credentials())
        .contains(new MarathonCredentials("ferry", "s3cret"));
    assertThatThrownBy(() -> DevclusterConfig.parse(new String[] {"--http_credentials_file", dir.resolve("none").toString()}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none");
    assertThatThrownBy(() -> DevclusterConfig.parse(new String[] {"--http_credentials", "nocolon"}))
        .hasMessageContaining("--http_credentials must be user:password").hasMessageNotContaining("nocolon");
    assertThatThrownBy(() -> DevclusterConfig.parse(new String[] {"--http_credentials", "u:p", "--http_credentials_file", file.toString()}))
        .hasMessageContaining("already given");
  }
}
