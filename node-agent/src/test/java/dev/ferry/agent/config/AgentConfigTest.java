package dev.ferry.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.model.NodeSpec;
import dev.ferry.api.tls.TlsFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

  @TempDir
  Path dir;

  private Path key;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void keyFile() throws IOException {
    key = Files.writeString(dir.resolve("cluster.key"), "k".repeat(40));
    env.put("FERRY_ATTRIBUTES_FILE", dir.resolve("no-attributes").toString());
  }

  @Test
  void readsTheFileWithDefaultsForWhatItLeavesOut() throws IOException {
    Path file = Files.writeString(dir.resolve("agent.yaml"), String.join("\n",
        "nodeName: node1",
        "address: 127.0.1.1",
        "pool: tank",
        "attributes: disk:spinning;rack:a",
        "etcdEndpoints: [http://10.0.0.1:2379, http://10.0.0.2:2379]",
        "clusterKeyFile: " + key));

    AgentConfig config = AgentConfig.load(Optional.of(file), env);

    assertThat(config.nodeName()).isEqualTo("node1");
    assertThat(config.hostname()).isEqualTo("node1");
    assertThat(config.transferPort()).isEqualTo(7071);
    assertThat(config.attributes()).isEqualTo(Map.of("disk", "spinning", "rack", "a"));
    assertThat(config.layout().pool()).isEqualTo("tank");
    assertThat(config.layout().datasetRoot()).isEqualTo(Path.of(NodeSpec.DEFAULT_DATASET_ROOT));
    assertThat(config.etcd().endpoints()).containsExactly(URI.create("http://10.0.0.1:2379"),
        URI.create("http://10.0.0.2:2379"));
    assertThat(config.leaseTtl()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void environmentVariablesWinOverTheFile() throws IOException {
    Path file = Files.writeString(dir.resolve("agent.yaml"), "nodeName: node1\ntransferPort: 7071\n");
    env.putAll(Map.of("FERRY_NODE_NAME", "node2", "FERRY_ADDRESS", "127.0.1.2", "FERRY_POOL", "p2",
        "FERRY_TRANSFER_PORT", "17071", "FERRY_CLUSTER_KEY_FILE", key.toString(), "FERRY_DATASET_ROOT", "/srv/ferry",
        "FERRY_ETCD_USER", "agent", "FERRY_ETCD_PASSWORD", "secret", "FERRY_LEASE_TTL", "3s"));

    AgentConfig config = AgentConfig.load(Optional.of(file), env);

    assertThat(config.nodeName()).isEqualTo("node2");
    assertThat(config.transferPort()).isEqualTo(17071);
    assertThat(config.layout().datasetRoot()).isEqualTo(Path.of("/srv/ferry"));
    assertThat(config.etcd().credentials()).get().extracting(c -> c.user()).isEqualTo("agent");
    assertThat(config.etcd().credentials().get().toString()).doesNotContain("secret");
    assertThat(config.leaseTtl()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void readsMesosAttributesFromTheirFileWhenNotGiven() throws IOException {
    Path attributes = Files.writeString(dir.resolve("attributes"), "disk:ssd;rack:b\n");
    env.putAll(required());
    env.put("FERRY_ATTRIBUTES_FILE", attributes.toString());

    assertThat(AgentConfig.load(Optional.empty(), env).attributes()).isEqualTo(Map.of("disk", "ssd", "rack", "b"));
  }

  @Test
  void theTransferCapIsAQuantityAndUnsetMeansNone() throws IOException {
    env.putAll(required());
    assertThat(AgentConfig.load(Optional.empty(), env).transferMaxBytesPerSecond().bytes()).as("unset").isZero();
    Path file = Files.writeString(dir.resolve("agent.yaml"), "transferMaxBytesPerSecond: 50Mi\n");
    assertThat(AgentConfig.load(Optional.of(file), env).transferMaxBytesPerSecond().bytes()).isEqualTo(50L << 20);
    env.put("FERRY_TRANSFER_MAX_BYTES_PER_SECOND", "0");
    assertThat(AgentConfig.load(Optional.of(file), env).transferMaxBytesPerSecond().bytes()).as("0 overrides").isZero();

    assertRefused("FERRY_TRANSFER_MAX_BYTES_PER_SECOND", "50MB/s",
        "environment variable FERRY_TRANSFER_MAX_BYTES_PER_SECOND = '50MB/s'", "not a quantity", "0 or unset for no cap");
    assertRefused("FERRY_TRANSFER_MAX_BYTES_PER_SECOND", "-1Mi", "FERRY_TRANSFER_MAX_BYTES_PER_SECOND", "not a quantity");
  }

  @Test
  void concurrentReceivesAreFourUnlessSetAndAtLeastOne() throws IOException {
    env.putAll(required());
    assertThat(AgentConfig.load(Optional.empty(), env).maxConcurrentReceives()).isEqualTo(4);
    Path file = Files.writeString(dir.resolve("agent.yaml"), "maxConcurrentReceives: 2\n");
    assertThat(AgentConfig.load(Optional.of(file), env).maxConcurrentReceives()).isEqualTo(2);

    assertRefused("FERRY_MAX_CONCURRENT_RECEIVES", "0", "FERRY_MAX_CONCURRENT_RECEIVES", "a whole number of 1 or more");
    assertRefused("FERRY_MAX_CONCURRENT_RECEIVES", "lots", "FERRY_MAX_CONCURRENT_RECEIVES", "'lots'");
  }

  @Test
  void badSettingsAreNamedWithWhereTheyCameFrom() throws IOException {
    env.putAll(required());
    assertRefused("FERRY_TRANSFER_PORT", "70000", "environment variable FERRY_TRANSFER_PORT = '70000'",
        "1 to 65535");
    assertRefused("FERRY_NODE_NAME", "Node_1", "FERRY_NODE_NAME", "DNS-1123");
    assertRefused("FERRY_ATTRIBUTES", "disk=ssd", "FERRY_ATTRIBUTES", "not name:value");
    assertRefused("FERRY_ETCD_ENDPOINTS", "127.0.0.1:2379", "FERRY_ETCD_ENDPOINTS", "http://host:port");
    assertRefused("FERRY_CLUSTER_KEY_FILE", "/nowhere/key", "FERRY_CLUSTER_KEY_FILE", "no readable file");
    assertRefused("FERRY_LEASE_TTL", "ten", "FERRY_LEASE_TTL", "");
    assertRefused("FERRY_DATASET_ROOT", "relative/dir", "FERRY_DATASET_ROOT", "absolute");

    Path file = Files.writeString(dir.resolve("agent.yaml"), "nodename: node1\n");
    assertThatThrownBy(() -> AgentConfig.load(Optional.of(file), env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown setting 'nodename'").hasMessageContaining("nodeName");
  }

  @Test
  void tlsTakesItsThreeFilesTogetherOrNone() throws IOException {
    env.putAll(required());
    assertThat(AgentConfig.load(Optional.empty(), env).tls()).as("no TLS setting: plain HTTP").isEmpty();
    Path cert = Files.writeString(dir.resolve("agent.crt"), "cert");
    Path tlsKey = Files.writeString(dir.resolve("agent.key"), "key");
    Path ca = Files.writeString(dir.resolve("ca.crt"), "ca");
    env.putAll(Map.of("FERRY_TLS_CERT_FILE", cert.toString(), "FERRY_TLS_KEY_FILE", tlsKey.toString(),
        "FERRY_TLS_CA_FILE", ca.toString()));

    assertThat(AgentConfig.load(Optional.empty(), env).tls()).contains(new TlsFiles(cert, tlsKey, ca));

    assertRefused("FERRY_TLS_CA_FILE", "", "tlsCaFile", "missing", "tlsCertFile, tlsKeyFile and tlsCaFile together");
    assertRefused("FERRY_TLS_KEY_FILE", "/nowhere/agent.key", "FERRY_TLS_KEY_FILE", "no readable file");
  }

  @Test
  void aMissingRequiredSettingSaysHowToSetIt() {
    assertThatThrownBy(() -> AgentConfig.load(Optional.empty(), env)).isInstanceOf(ConfigException.class)
        .hasMessage("missing setting nodeName: set it in the config file or in FERRY_NODE_NAME");
  }

  @Test
  void everySettingHasAnEnvironmentVariableNamedAfterIt() {
    assertThat(Setting.TRANSFER_PORT.env()).isEqualTo("FERRY_TRANSFER_PORT");
    assertThat(Setting.CLUSTER_KEY_FILE.env()).isEqualTo("FERRY_CLUSTER_KEY_FILE");
    assertThat(List.of(Setting.values())).allSatisfy(s -> assertThat(s.env())
        .isEqualTo("FERRY_" + s.key().replaceAll("([A-Z])", "_$1").toUpperCase()));
  }

  private Map<String, String> required() {
    return Map.of("FERRY_NODE_NAME", "node1", "FERRY_ADDRESS", "127.0.1.1", "FERRY_POOL", "tank",
        "FERRY_CLUSTER_KEY_FILE", key.toString());
  }

  private void assertRefused(String variable, String value, String... messageParts) {
    Map<String, String> bad = new HashMap<>(env);
    bad.put(variable, value);
    assertThatThrownBy(() -> AgentConfig.load(Optional.empty(), bad)).isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(messageParts));
  }
}
