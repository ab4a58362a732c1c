package dev.ferry.devcluster.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.devcluster.DevclusterConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSpecTest {

  private static final PortRange PORTS = new PortRange(31000, 31999);

  @Test
  void parsesNameAddressAttributesAndResources() {
    NodeSpec node = NodeSpec.parse("node3=127.0.1.3:disk=ssd,rack=b,cpus=2,mem=1024,ports=40000-40099", PORTS);
    assertThat(node.name()).isEqualTo("node3");
    assertThat(node.address()).isEqualTo("127.0.1.3");
    assertThat(node.attributes()).isEqualTo(Map.of("disk", "ssd", "rack", "b"));
    assertThat(node.cpus()).isEqualTo(2);
    assertThat(node.mem()).isEqualTo(1024);
    assertThat(node.ports()).isEqualTo(new PortRange(40000, 40099));
  }

  @Test
  void acceptsMesosAttributeSyntaxAndBareNodes() {
    assertThat(NodeSpec.parse("n=127.0.1.9:disk:ssd;rack:a", PORTS).attributes()).isEqualTo(Map.of("disk", "ssd", "rack", "a"));
    assertThat(NodeSpec.parse("n=127.0.1.9", PORTS).ports()).isEqualTo(PORTS);
  }

  @Test
  void rejectsWhatItCannotRead() {
    assertThatThrownBy(() -> NodeSpec.parse("127.0.1.1", PORTS)).hasMessageContaining("node1=127.0.1.1");
    assertThatThrownBy(() -> NodeSpec.parse("n=127.0.1.1:disk", PORTS)).hasMessageContaining("KEY=VALUE");
  }

  @Test
  void theDefaultsAreTheSeedsTwoNodesOnMarathonsPort() {
    DevclusterConfig config = DevclusterConfig.parse(new String[] {"--http_credentials", "u:p"});
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.nodes()).extracting(NodeSpec::name, NodeSpec::address)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("node1", "127.0.1.1"), org.assertj.core.groups.Tuple.tuple("node2", "127.0.1.2"));
    assertThat(DevclusterConfig.parse(new String[] {"--node", "a=127.0.1.5:disk=ssd", "--node", "b=127.0.1.6", "--insecure-no-auth"}).nodes().get(1).ports())
        .isEqualTo(new PortRange(32000, 32999));
  }
}
