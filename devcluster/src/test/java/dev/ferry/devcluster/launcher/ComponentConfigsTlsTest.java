package dev.ferry.devcluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.devcluster.nodes.NodeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code up} hands each component about TLS: by default everything, with --plain-http nothing. */
class ComponentConfigsTlsTest {

  @TempDir
  Path home;

  @BeforeEach
  void build() throws Exception {
    for (String module : List.of("devcluster", "node-agent", "controller")) {
      Path classpath = home.resolve(module + "/target/runtime-classpath.txt");
      Files.createDirectories(classpath.getParent());
      Files.writeString(classpath, "lib.jar");
    }
  }

  @Test
  void byDefaultEtcdWantsClientCertificatesTheApiServesHttpsAndAgentsUseMutualTls() {
    LaunchOptions options = options();
    StateDir dir = new StateDir(options.stateDir());
    ComponentConfigs configs = new ComponentConfigs(options, dir);
    Path tls = dir.tlsDir();

    assertThat(configs.etcd().command()).contains("--client-cert-auth", "--peer-client-cert-auth",
        "--trusted-ca-file", tls.resolve("ca.crt").toString(), "--cert-file", tls.resolve("etcd.crt").toString());
    assertThat(configs.etcd().url()).startsWith("https://127.0.0.1:");
    assertThat(configs.controllerUrl()).startsWith("https://127.0.0.1:");
    assertThat(configs.certificateAuthority()).contains(tls.resolve("ca.crt"));
    assertThat(configs.controller().configFile().orElseThrow().text()).contains(
        "certFile: " + tls.resolve("controller.crt"), "keyFile: " + tls.resolve("controller.key"),
        "caFile: " + tls.resolve("ca.crt"), "https://127.0.0.1:");
    NodeSpec node = options.nodes().get(0);
    assertThat(configs.agent(node).configFile().orElseThrow().text()).contains(
        "tlsCertFile: " + tls.resolve("agent-node1.crt"), "tlsKeyFile: " + tls.resolve("agent-node1.key"),
        "tlsCaFile: " + tls.resolve("ca.crt"), "etcdCertFile: " + tls.resolve("agent-node1.crt"), "https://127.0.0.1:");
  }

  @Test
  void plainHttpIsOnlyWhatTheFlagAsksFor() {
    LaunchOptions options = options("--plain-http");
    StateDir dir = new StateDir(options.stateDir());
    ComponentConfigs configs = new ComponentConfigs(options, dir);

    assertThat(options.plainHttp()).isTrue();
    assertThat(configs.etcd().command()).doesNotContain("--client-cert-auth");
    assertThat(configs.etcd().url()).startsWith("http://127.0.0.1:");
    assertThat(configs.controllerUrl()).startsWith("http://127.0.0.1:");
    assertThat(configs.certificateAuthority()).isEmpty();
    assertThat(configs.controller().configFile().orElseThrow().text()).doesNotContain("tls", "https", "certFile");
    assertThat(configs.agent(options.nodes().get(0)).configFile().orElseThrow().text()).doesNotContain("tls", "https");
  }

  private LaunchOptions options(String... extra) {
    List<String> args = new ArrayList<>(List.of("--state-dir", home.resolve("state").toString()));
    args.addAll(List.of(extra));
    return LaunchOptions.parse(args, Map.of("FERRY_HOME", home.toString()));
  }
}
