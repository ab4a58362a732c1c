package dev.ferry.devcluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.devcluster.DevclusterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code up} writes and hands to the scheduler and the controller: file paths, never secrets. */
class ClusterSecretsTest {

  @Test
  void upMakesPrivateMarathonCredentialsAndPassesOnlyTheirPath(@TempDir Path home) throws Exception {
    fakeBuild(home);
    LaunchOptions options = LaunchOptions.parse(List.of("--state-dir", home.resolve("state").toString()),
        Map.of("FERRY_HOME", home.toString()));
    StateDir dir = new StateDir(options.stateDir());

    ClusterSecrets.create(dir);

    Path file = dir.marathonCredentials();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    MarathonCredentials credentials = MarathonCredentials.read(file);
    assertThat(credentials.password()).hasSize(64);

    ComponentConfigs configs = new ComponentConfigs(options, dir);
    ProcessSpec scheduler = configs.scheduler();
    assertThat(String.join(" ", scheduler.command())).contains("--http_credentials_file " + file)
        .doesNotContain(credentials.password());
    assertThat(scheduler.env()).containsEntry(MarathonCredentials.FILE_VARIABLE, file.toString());
    List<String> args = scheduler.command().subList(scheduler.command().indexOf(Build.SCHEDULER.className()) + 1,
        scheduler.command().size());
    assertThat(DevclusterConfig.parse(args.toArray(String[]::new)).access().credentials())
        .as("devcluster reads the flags up gives it").contains(credentials);

    ProcessSpec controller = configs.controller();
    assertThat(controller.configFile().orElseThrow().text()).contains("credentialsFile: " + file)
        .doesNotContain(credentials.password());
  }

  @Test
  void upGivesTheControllerAPrivateDirectoryForTheSecretsAppsReferTo(@TempDir Path home) throws Exception {
    fakeBuild(home);
    LaunchOptions options = LaunchOptions.parse(List.of("--state-dir", home.resolve("state").toString()),
        Map.of("FERRY_HOME", home.toString()));
    StateDir dir = new StateDir(options.stateDir());

    ClusterSecrets.create(dir);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.appSecrets()))).isEqualTo("rwx------");
    String yaml = new ComponentConfigs(options, dir).controller().configFile().orElseThrow().text();
    // ControllerConfigTest reads the key; here: up names the directory it made.
    assertThat(yaml).contains("secretsDir: " + dir.appSecrets());
  }

  @Test
  void theClusterKeyIsThirtyTwoRandomBytesThatTheAgentsAndTheControllerAccept(@TempDir Path home) throws Exception {
    LaunchOptions options = LaunchOptions.parse(List.of("--state-dir", home.resolve("state").toString()),
        Map.of("FERRY_HOME", home.toString()));
    StateDir dir = new StateDir(options.stateDir());

    ClusterSecrets.create(dir);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.clusterKey()))).isEqualTo("rw-------");
    assertThat(Files.readString(dir.clusterKey()).strip()).matches("[0-9a-f]{64}");
    assertThat(ClusterKey.fromFile(dir.clusterKey())).as("what the agents and the controller read").isNotNull();
  }

  /** The build's classpath files, which the launcher reads to write the components' commands. */
  private static void fakeBuild(Path home) throws Exception {
    for (String module : List.of("devcluster", "controller")) {
      Path classpath = home.resolve(module + "/target/runtime-classpath.txt");
      Files.createDirectories(classpath.getParent());
      Files.writeString(classpath, "lib.jar");
    }
  }
}
