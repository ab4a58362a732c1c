package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.tls.TlsFiles;
import dev.ferry.controller.discovery.ZkUrl;
import dev.ferry.controller.marathon.TaskGuard;
import dev.ferry.api.model.Kind;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerConfigTest {

  static final String FILE = """
      listen: {host: 0.0.0.0, port: 7171}
      etcd:
        endpoints: [https://etcd1:2379, https://etcd2:2379]
        user: ferry
        password: secret
        caFile: /etc/ferry/ca.pem
      tokensFile: /etc/ferry/tokens.csv
      clusterKeyFile: /etc/ferry/cluster.key
      marathon: {url: http://marathon:8080}
      zookeeper: {connect: zk1:2181, path: /ferry-prod}
      gitops: {cacheDir: /var/cache/ferry}
      taskGuard: /opt/ferry/scripts/ferry-task-guard
      """;

  @Test
  void readsEveryKeyOfTheFile() {
    ControllerConfig config = ControllerConfig.parse(FILE, Map.of());

    assertThat(config.listenHost()).isEqualTo("0.0.0.0");
    assertThat(config.listenPort()).isEqualTo(7171);
    assertThat(config.etcd().endpoints()).containsExactly(URI.create("https://etcd1:2379"), URI.create("https://etcd2:2379"));
    assertThat(config.etcd().credentials().orElseThrow().user()).isEqualTo("ferry");
    assertThat(config.etcd().tls().orElseThrow().caFile()).isEqualTo(Path.of("/etc/ferry/ca.pem"));
    assertThat(config.tokensFile()).isEqualTo(Path.of("/etc/ferry/tokens.csv"));
    assertThat(config.clusterKeyFile()).contains(Path.of("/etc/ferry/cluster.key"));
    assertThat(config.marathonUrl()).isEqualTo(URI.create("http://marathon:8080"));
    assertThat(config.zookeeperConnect()).isEqualTo("zk1:2181");
    assertThat(config.zookeeperPath()).isEqualTo("/ferry-prod");
    assertThat(config.gitopsCacheDir()).isEqualTo(Path.of("/var/cache/ferry"));
    assertThat(config.taskGuard()).isEqualTo(new TaskGuard("/opt/ferry/scripts/ferry-task-guard"));
    assertThat(config.gitopsAllowFileUrls()).as("file:// repositories are off unless allowed").isFalse();
  }

  @Test
  void theApiServesHttpsWithTheThreeTlsFilesAndRefusesHalfASection(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("controller.crt"), "cert");
    Path key = Files.writeString(dir.resolve("controller.key"), "key");
    Path ca = Files.writeString(dir.resolve("ca.crt"), "ca");
    assertThat(ControllerConfig.parse("tokensFile: /t", Map.of()).tls()).as("no tls section: plain HTTP").isEmpty();

    String tls = "tokensFile: /t\ntls: {certFile: " + cert + ", keyFile: " + key + ", caFile: " + ca + "}";
    assertThat(ControllerConfig.parse(tls, Map.of()).tls()).contains(new TlsFiles(cert, key, ca));
    assertThat(ControllerConfig.parse("tokensFile: /t", Map.of("FERRY_TLS_CERT_FILE", cert.toString(),
        "FERRY_TLS_KEY_FILE", key.toString(), "FERRY_TLS_CA_FILE", ca.toString())).tls())
        .contains(new TlsFiles(cert, key, ca));

    assertThatThrownBy(() -> ControllerConfig.parse("tokensFile: /t\ntls: {certFile: " + cert + "}", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("controller config: tls.keyFile is missing: tls needs certFile, keyFile and caFile together");
    assertThatThrownBy(() -> ControllerConfig.parse(tls, Map.of("FERRY_TLS_CA_FILE", "/nowhere/ca.crt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("controller config: tls.caFile: no readable file at /nowhere/ca.crt");
    assertThatThrownBy(() -> ControllerConfig.parse("tokensFile: /t\ntls: {cert: " + cert + "}", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cert");
  }

  @Test
  void theTaskGuardIsTheInstalledOneUnlessSetAndMustBeAPlainAbsolutePath() {
    assertThat(ControllerConfig.parse("tokensFile: /t", Map.of()).taskGuard()).isEqualTo(TaskGuard.INSTALLED);
    assertThat(ControllerConfig.parse(FILE, Map.of("FERRY_TASK_GUARD", "/srv/guard")).taskGuard())
        .isEqualTo(new TaskGuard("/srv/guard"));
    assertThatThrownBy(() -> ControllerConfig.parse("tokensFile: /t\ntaskGuard: 'guard; reboot'", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("controller config: taskGuard 'guard; reboot' must be the absolute path");
  }

  @Test
  void theMigrationHistoryLimitIsTenUnlessSetAndMustBeAWholeNumber() {
    assertThat(ControllerConfig.parse("tokensFile: /t", Map.of()).migrationHistoryLimit()).isEqualTo(10);
    assertThat(ControllerConfig.parse("tokensFile: /t\nmigrationHistoryLimit: 3", Map.of()).migrationHistoryLimit())
        .isEqualTo(3);
    assertThat(ControllerConfig.parse("tokensFile: /t", Map.of("FERRY_MIGRATION_HISTORY_LIMIT", "0"))
        .migrationHistoryLimit()).isZero();
    assertThatThrownBy(() -> ControllerConfig.parse("tokensFile: /t", Map.of("FERRY_MIGRATION_HISTORY_LIMIT", "-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("controller config: migrationHistoryLimit '-1' is not a whole number of 0 or more");
  }

  @Test
  void listPagesMigrationsPerNodeAndQuotasHaveDefaultsAndMustBePositive() {
    ControllerConfig defaults = ControllerConfig.parse("tokensFile: /t", Map.of());
    assertThat(defaults.listMaxPage()).isEqualTo(500);
    assertThat(defaults.maxMigrationsPerNode()).isEqualTo(2);
    assertThat(defaults.quotas().cap(Kind.STATEFUL_APP)).isEqualTo(10_000);
    ControllerConfig set = ControllerConfig.parse("tokensFile: /t\nlistMaxPage: 50\nmaxMigrationsPerNode: 1\n"
        + "quotas: {statefulapps: 20, migrations: 40}", Map.of("FERRY_QUOTA_MIGRATIONS", "30"));
    assertThat(set.listMaxPage()).isEqualTo(50);
    assertThat(set.maxMigrationsPerNode()).isEqualTo(1);
    assertThat(set.quotas().cap(Kind.STATEFUL_APP)).isEqualTo(20);
    assertThat(set.quotas().cap(Kind.MIGRATION)).isEqualTo(30);
    assertThat(set.quotas().cap(Kind.GIT_SOURCE)).isEqualTo(1_000);
    assertThatThrownBy(() -> ControllerConfig.parse("tokensFile: /t\nlistMaxPage: 0", Map.of()))
        .hasMessage("controller config: listMaxPage '0' is not a whole number of 1 or more");
    assertThatThrownBy(() -> ControllerConfig.parse("tokensFile: /t", Map.of("FERRY_MAX_MIGRATIONS_PER_NODE", "many")))
        .hasMessageStartingWith("controller config: maxMigrationsPerNode 'many'");
    assertThatThrownBy(() -> ControllerConfig.parse("tokensFile: /t\nquotas: {apps: 3}", Map.of()))
        .hasMessageStartingWith("controller config: quotas.apps is not a kind");
    assertThatThrownBy(() -> ControllerConfig.parse("tokensFile: /t", Map.of("FERRY_QUOTA_EVENTS", "-5")))
        .hasMessageStartingWith("controller config: quotas.events '-5'");
  }

  @Test
  void gitCredentialsComeFromADirectoryOnlyWhenOneIsNamed() {
    assertThat(ControllerConfig.parse(FILE, Map.of()).gitopsCredentialsDir()).isEmpty();
    assertThat(ControllerConfig.parse(FILE.replace("{cacheDir: /var/cache/ferry}", "{cacheDir: /c, credentialsDir: /etc/ferry/git}"),
        Map.of()).gitopsCredentialsDir()).contains(Path.of("/etc/ferry/git"));
    assertThat(ControllerConfig.parse(FILE, Map.of("FERRY_GITOPS_CREDENTIALS_DIR", "/srv/git")).gitopsCredentialsDir())
        .contains(Path.of("/srv/git"));
  }

  @Test
  void appSecretsComeFromADirectoryOnlyWhenOneIsNamed() {
    assertThat(ControllerConfig.parse(FILE, Map.of()).secretsDir()).isEmpty();
    assertThat(ControllerConfig.parse(FILE + "secretsDir: /etc/ferry/app-secrets\n", Map.of()).secretsDir())
        .contains(Path.of("/etc/ferry/app-secrets"));
    assertThat(ControllerConfig.parse(FILE, Map.of("FERRY_SECRETS_DIR", "/srv/secrets")).secretsDir())
        .contains(Path.of("/srv/secrets"));
  }

  @Test
  void fileRepositoriesAreAllowedOnlyWhenSaidSo() {
    assertThat(ControllerConfig.parse(FILE.replace("{cacheDir: /var/cache/ferry}", "{cacheDir: /c, allowFileUrls: true}"),
        Map.of()).gitopsAllowFileUrls()).isTrue();
    assertThat(ControllerConfig.parse(FILE, Map.of("FERRY_GITOPS_ALLOW_FILE_URLS", "true")).gitopsAllowFileUrls()).isTrue();
    assertThatThrownBy(() -> ControllerConfig.parse(FILE, Map.of("FERRY_GITOPS_ALLOW_FILE_URLS", "yes")))
        .hasMessageContaining("gitops.allowFileUrls must be true or false");
  }

  @Test
  void theEnvironmentWinsAndDefaultsFillTheRest() {
    ControllerConfig config = ControllerConfig.parse("", Map.of("FERRY_TOKENS_FILE", "/t.csv",
        "FERRY_LISTEN_PORT", "7272", "FERRY_ETCD_ENDPOINTS", "http://a:1, http://b:2"));

    assertThat(config.listenHost()).isEqualTo("127.0.0.1");
    assertThat(config.listenPort()).isEqualTo(7272);
    assertThat(config.etcd().endpoints()).containsExactly(URI.create("http://a:1"), URI.create("http://b:2"));
    assertThat(config.etcd().credentials()).isEmpty();
    assertThat(config.marathonUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThat(config.zookeeperConnect()).isEqualTo("127.0.0.1:2181");
    assertThat(ControllerConfig.parse(FILE, Map.of("FERRY_ZK_PATH", "/other")).zookeeperPath()).isEqualTo("/other");
  }

  @Test
  void marathonAndMesosCanBeFoundThroughZooKeeper() {
    ControllerConfig config = ControllerConfig.parse(FILE + """
        mesos: {url: http://master:5050, zk: "zk://zk1:2181,zk2:2181/mesos"}
        """, Map.of("FERRY_MARATHON_ZK", "zk://zk1:2181/marathon"));

    assertThat(config.marathonZk()).contains(new ZkUrl("zk1:2181", "/marathon"));
    assertThat(config.mesosUrl()).contains(URI.create("http://master:5050"));
    assertThat(config.mesosZk()).contains(new ZkUrl("zk1:2181,zk2:2181", "/mesos"));
    ControllerConfig plain = ControllerConfig.parse(FILE, Map.of());
    assertThat(plain.marathonZk()).isEmpty();
    assertThat(plain.mesosUrl()).isEmpty();
    assertThat(plain.mesosZk()).isEmpty();
  }

  @Test
  void marathonsCredentialsComeFromAFileNeverFromTheUrl() {
    assertThat(ControllerConfig.parse(FILE, Map.of()).marathonCredentialsFile()).isEmpty();
    assertThat(ControllerConfig.parse(FILE.replace("marathon: {url: http://marathon:8080}",
        "marathon: {url: http://marathon:8080, credentialsFile: /etc/ferry/marathon-credentials}"), Map.of())
        .marathonCredentialsFile()).contains(Path.of("/etc/ferry/marathon-credentials"));
    assertThat(ControllerConfig.parse(FILE, Map.of("FERRY_MARATHON_CREDENTIALS_FILE", "/run/m"))
        .marathonCredentialsFile()).contains(Path.of("/run/m"));
    assertThatThrownBy(() -> ControllerConfig.parse(FILE, Map.of("FERRY_MARATHON_URL", "http://ferry:s3cret@marathon:8080")))
        .hasMessageContaining("marathon.url").hasMessageContaining("credentialsFile").hasMessageNotContaining("s3cret");
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> ControllerConfig.parse(FILE, Map.of("FERRY_MARATHON_ZK", "zk1:2181/marathon")))
        .hasMessageContaining("marathon.zk").hasMessageContaining("zk://");
    assertThatThrownBy(() -> ControllerConfig.parse(FILE + "mesos: {url: master:5050}\n", Map.of()))
        .hasMessageContaining("mesos.url").hasMessageContaining("'master:5050'");
    assertThatThrownBy(() -> ControllerConfig.parse(FILE + "mesos: {zk: zk://zk1:2181}\n", Map.of()))
        .hasMessageContaining("mesos.zk");
    assertThatThrownBy(() -> ControllerConfig.parse(FILE + "mesos: {master: x}\n", Map.of()))
        .hasMessageContaining("master");
    assertThatThrownBy(() -> ControllerConfig.parse("", Map.of())).hasMessageContaining("tokensFile");
    assertThatThrownBy(() -> ControllerConfig.parse("tokenFile: /x\n", Map.of())).hasMessageContaining("tokenFile");
    assertThatThrownBy(() -> ControllerConfig.parse(FILE, Map.of("FERRY_LISTEN_PORT", "http"))).hasMessageContaining("'http'");
  }
}
