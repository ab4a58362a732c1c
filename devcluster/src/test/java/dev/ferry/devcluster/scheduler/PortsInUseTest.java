package dev.ferry.devcluster.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.devcluster.apps.AppDefinition;
import dev.ferry.devcluster.nodes.NodeSpec;
import dev.ferry.devcluster.nodes.PortRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsInUseTest {

  @Test
  void socketsAreSeenBoundToOneAddressOrAllListeningOrConnected() throws Exception {
    try (ServerSocket loopback = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ServerSocket any = new ServerSocket();
        Socket client = new Socket(InetAddress.getLoopbackAddress(), loopback.getLocalPort())) {
      any.bind(new InetSocketAddress(0));
      assertThat(PortsInUse.read()).contains(loopback.getLocalPort(), any.getLocalPort(), client.getLocalPort());
    }
  }

  @Test
  void placementSkipsPortsInUse() {
    NodeSpec node = new NodeSpec("node1", "127.0.1.1", Map.of(), 8, 8192, new PortRange(31000, 31003));
    ObjectNode json = Json.json().createObjectNode().put("id", "/a").put("cpus", 0.1).put("mem", 16);
    json.putArray("portDefinitions").addObject().put("port", 0);
    json.withArray("portDefinitions").addObject().put("port", 0);
    AppDefinition app = AppDefinition.of(json);

    var choice = Placement.choose(app, List.of(node), List.of(), Set.of(31000, 31002));
    assertThat(choice).get().extracting(Placement.Choice::ports).isEqualTo(List.of(31001, 31003));
    assertThat(Placement.choose(app, List.of(node), List.of(), Set.of(31000, 31001, 31002))).isEmpty();
  }
}
