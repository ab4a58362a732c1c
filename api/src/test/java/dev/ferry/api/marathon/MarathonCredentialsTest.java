package dev.ferry.api.marathon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarathonCredentialsTest {

  private static final MarathonCredentials FERRY = new MarathonCredentials("ferry", "s3cret:with-colon");

  private static String basic(String userColonPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theHeaderItWritesIsTheOneItAccepts() {
    assertThat(FERRY.matches(FERRY.authorization())).isTrue();
    assertThat(FERRY.matches("basic " + FERRY.authorization().substring(6))).as("the scheme is case-insensitive").isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "wrong password       | ferry:s3cret",
      "wrong user           | admin:s3cret:with-colon",
      "longer password      | ferry:s3cret:with-colon!",
      "empty                | ''",
  })
  void otherCredentialsDoNotMatch(String why, String given) {
    assertThat(FERRY.matches(basic(given))).as(why).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"''", "Bearer abc", "Basic !!!not-base64", "Basic"})
  void headersThatAreNotBasicCredentialsDoNotMatch(String header) {
    assertThat(FERRY.matches(header)).isFalse();
    assertThat(FERRY.matches(null)).isFalse();
  }

  @Test
  void parsesAtTheFirstColonAndNamesTheSourceNotTheSecret() {
    assertThat(MarathonCredentials.parse("u:p:q", "--http_credentials")).isEqualTo(new MarathonCredentials("u", "p:q"));
    assertThatThrownBy(() -> MarathonCredentials.parse("justapassword", "--http_credentials"))
        .hasMessageContaining("--http_credentials must be user:password").hasMessageNotContaining("justapassword");
    assertThatThrownBy(() -> MarathonCredentials.parse(":pw", "--http_credentials")).hasMessageContaining("user:password");
    assertThatThrownBy(() -> MarathonCredentials.parse("u:", "--http_credentials")).hasMessageContaining("user:password");
    assertThat(FERRY.toString()).doesNotContain("s3cret");
  }

  @Test
  void readsAFileOfOneLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("marathon-credentials");
    Files.writeString(file, "ferry:abc\n");
    assertThat(MarathonCredentials.read(file)).isEqualTo(new MarathonCredentials("ferry", "abc"));
    Files.writeString(file, "ferry:abc\nsecond:line\n");
    assertThatThrownBy(() -> MarathonCredentials.read(file)).hasMessageContaining(file.toString())
        .hasMessageContaining("control characters").hasMessageNotContaining("abc");
    assertThatThrownBy(() -> MarathonCredentials.read(dir.resolve("missing"))).hasMessageContaining("missing");
  }
}
