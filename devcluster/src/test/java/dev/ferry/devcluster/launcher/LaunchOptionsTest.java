package dev.ferry.devcluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.ferry.devcluster.nodes.NodeSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

  private static final Map<String, String> ENV = Map.of("FERRY_HOME", "/repo");

  @Test
  void defaultsAreTheSeedClusterOnDesignPorts() {
    LaunchOptions options = LaunchOptions.parse(List.of(), ENV);

    assertThat(options.nodes()).extracting(NodeSpec::name, NodeSpec::address, NodeSpec::attributes).containsExactly(
        org.assertj.core.groups.Tuple.tuple("node1", "127.0.1.1", Map.of("disk", "spinning")),
        org.assertj.core.groups.Tuple.tuple("node2", "127.0.1.2", Map.of("disk", "ssd")));
    assertThat(List.of(options.schedulerPort(), options.controllerPort(), options.agentPort(), options.etcdPort(),
        options.zookeeperPort())).containsExactly(8080, 7070, 7071, 2379, 2181);
    assertThat(options.stateDir()).isEqualTo(Path.of("/repo/.ferry"));
    assertThat(options.poolOf(options.nodes().get(0))).isEqualTo("ferry-node1");
    assertThat(options.zookeeperConnect()).isEqualTo("127.0.0.1:2181");
    assertThat(options.context()).isEqualTo("devcluster");
  }

  @Test
  void nodesCountAlternatesDisksAndGivesEachNodeItsOwnPorts() {
    List<NodeSpec> nodes = LaunchOptions.parse(List.of("--nodes", "3"), ENV).nodes();

    assertThat(nodes).extracting(NodeSpec::address).containsExactly("127.0.1.1", "127.0.1.2", "127.0.1.3");
    assertThat(nodes.get(2).attributes()).containsEntry("disk", "spinning");
    assertThat(nodes.get(2).ports().first()).isEqualTo(33000);
  }

  @Test
  void nodeOptionsReplaceTheDefaultsAndRoundTripToTheScheduler() {
    LaunchOptions options = LaunchOptions.parse(List.of("--node", "db=127.0.2.7:disk=ssd,rack=a,cpus=2"), ENV);

    NodeSpec node = options.nodes().get(0);
    assertThat(node.attributes()).isEqualTo(Map.of("disk", "ssd", "rack", "a"));
    assertThat(NodeSpec.parse(ComponentConfigs.nodeArgument(node), node.ports())).isEqualTo(node);
  }

  @Test
  void environmentChoosesStateDirAndFerryctlConfigAndOptionsWin() {
    Map<String, String> env = Map.of("FERRY_HOME", "/repo", "FERRY_STATE_DIR", "/var/tmp/c1", "FERRY_CONFIG", "/tmp/cfg");

    assertThat(LaunchOptions.parse(List.of(), env).stateDir()).isEqualTo(Path.of("/var/tmp/c1"));
    assertThat(LaunchOptions.parse(List.of(), env).ferryctlConfig()).isEqualTo(Path.of("/tmp/cfg"));
    assertThat(LaunchOptions.parse(List.of("--state-dir", "/x"), env).stateDir()).isEqualTo(Path.of("/x"));
  }

  @Test
  void refusesWhatCannotWorkAndSaysWhy() {
    assertThatIllegalArgumentException().isThrownBy(() -> parse("--nodes", "2", "--node", "a=127.0.1.9"))
        .withMessageContaining("either --nodes N or --node");
    assertThatIllegalArgumentException().isThrownBy(() -> parse("--node", "a=127.0.1.1", "--node", "b=127.0.1.1"))
        .withMessageContaining("share the address 127.0.1.1");
    assertThatIllegalArgumentException().isThrownBy(() -> parse("--node", "a=10.0.0.1"))
        .withMessageContaining("loopback");
    assertThatIllegalArgumentException().isThrownBy(() -> parse("--node", "Node_1=127.0.1.1"))
        .withMessageContaining("DNS-1123");
    assertThatIllegalArgumentException().isThrownBy(() -> parse("--scheduler-port", "70000"))
        .withMessageContaining("between 1 and 65535");
    assertThatIllegalArgumentException().isThrownBy(() -> parse("--nodes", "0")).withMessageContaining("between 1 and");
    assertThatIllegalArgumentException().isThrownBy(() -> parse("--pool-size", "1M")).withMessageContaining("64M");
    assertThatIllegalArgumentException().isThrownBy(() -> parse("--pool-prefix", "-x")).withMessageContaining("--pool-prefix");
    assertThatIllegalArgumentException().isThrownBy(() -> parse("--zookeeper", "nope")).withMessageContaining("HOST:PORT");
    assertThatIllegalArgumentException().isThrownBy(() -> parse("--etcd-port")).withMessageContaining("needs a value");
    assertThatIllegalArgumentException().isThrownBy(() -> parse("--frobnicate")).withMessageContaining("unknown option");
  }

  private static LaunchOptions parse(String... args) {
    return LaunchOptions.parse(List.of(args), ENV);
  }
}
