package dev.ferry.controller.marathon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.process.Directories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the controller reads for a secret reference, and what it refuses to read. */
class AppSecretResolutionTest {

  private Path root;
  private Path dir;
  private AppSecrets secrets;

  @BeforeEach
  void files() throws Exception {
    root = Files.createTempDirectory("ferry-app-secrets");
    dir = Files.createDirectory(root.resolve("secrets"));
    Files.createDirectories(dir.resolve("todos-db"));
    Files.writeString(dir.resolve("todos-db/password"), "hunter2\n");
    Files.writeString(dir.resolve("token"), "t0k3n");
    Files.writeString(root.resolve("outside"), "not yours");
    Files.createSymbolicLink(dir.resolve("escape"), root.resolve("outside"));
    Files.write(dir.resolve("big"), new byte[AppSecrets.MAX_BYTES + 1]);
    Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe});
    Files.writeString(dir.resolve("nul"), "a\0b");
    secrets = new AppSecrets(null, Optional.of(dir));
  }

  @AfterEach
  void clean() {
    Directories.delete(root);
  }

  private static ObjectNode app(String source) throws Exception {
    return (ObjectNode) Json.json().readTree("""
        {"id": "/db", "cmd": "run", "env": {"PLAIN": "x", "DB_PASSWORD": {"secret": "pw"}},
         "secrets": {"pw": {"source": "%s"}}}""".formatted(source));
  }

  @Test
  void theValueReplacesTheReferenceAndSecretsAreNotWritten() throws Exception {
    ObjectNode app = app("todos-db/password");
    ObjectNode resolved = secrets.resolveNow(app);

    assertThat(resolved.at("/env/DB_PASSWORD").asText()).isEqualTo("hunter2");
    assertThat(resolved.at("/env/PLAIN").asText()).isEqualTo("x");
    assertThat(resolved.has("secrets")).isFalse();
    assertThat(app.at("/env/DB_PASSWORD/secret").asText()).as("the desired app keeps the name").isEqualTo("pw");
    assertThat(secrets.resolveNow(app("token")).at("/env/DB_PASSWORD").asText()).isEqualTo("t0k3n");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "nobody/password | no secret nobody/password in the controller's secrets directory",
      "escape          | no secret escape in the controller's secrets directory",
      "todos-db        | no secret todos-db in the controller's secrets directory",
      "../outside      | must be NAME or NAME/KEY",
      "a/b/c           | not a deeper path",
      "big             | holds more than 65536 bytes",
      "binary          | is not UTF-8 text",
      "nul             | holds a NUL byte",
  })
  void aSecretThatCannotBeReadIsRefusedNamingTheSourceField(String source, String message) throws Exception {
    assertThatThrownBy(() -> secrets.resolveNow(app(source)))
        .isInstanceOf(AppSecretException.class)
        .hasMessageStartingWith("spec.app.secrets.pw.source: ")
        .hasMessageContaining(message)
        .hasMessageNotContaining("not yours");
  }

  @Test
  void withoutASecretsDirectoryAReferenceIsRefusedAndAPlainAppPasses() throws Exception {
    assertThatThrownBy(() -> AppSecrets.none().resolve(app("token")).await())
        .isInstanceOf(AppSecretException.class)
        .hasMessageContaining("spec.app.secrets.pw.source: this controller has no secrets directory (secretsDir");
    ObjectNode plain = (ObjectNode) Json.json().readTree("{\"id\": \"/p\", \"cmd\": \"run\", \"env\": {\"A\": \"b\"}}");
    assertThat(AppSecrets.none().resolve(plain).await()).isEqualTo(plain);
  }

  @Test
  void theComparedAppLeavesOutWhatResolutionChanges() throws Exception {
    ObjectNode compared = AppSecrets.withoutSecrets(app("token"));

    assertThat(compared.has("secrets")).isFalse();
    assertThat(compared.get("env").has("DB_PASSWORD")).isFalse();
    assertThat(compared.at("/env/PLAIN").asText()).isEqualTo("x");
  }
}
