package dev.ferry.controller.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Node;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure rules of finding leaders and agents: ZooKeeper URLs, elections, MasterInfo, /master/slaves. */
class DiscoveryRulesTest {

  @Test
  void zkUrlsAreReadAsMesosAndMarathonWriteThem() {
    assertThat(ZkUrl.parse("zk://zk1:2181,zk2:2181/marathon", "marathon.zk"))
        .isEqualTo(new ZkUrl("zk1:2181,zk2:2181", "/marathon"));
    assertThat(ZkUrl.parse("zk://127.0.0.1:2181/a/mesos/", "mesos.zk")).isEqualTo(new ZkUrl("127.0.0.1:2181", "/a/mesos"));
  }

  @Test
  void aBadZkUrlNamesItsSettingAndTheProblem() {
    assertThatThrownBy(() -> ZkUrl.parse("http://zk1:2181/marathon", "marathon.zk"))
        .hasMessageStartingWith("marathon.zk: ").hasMessageContaining("must start with zk://");
    assertThatThrownBy(() -> ZkUrl.parse("zk://zk1:2181", "mesos.zk")).hasMessageContaining("needs hosts and a path");
    assertThatThrownBy(() -> ZkUrl.parse("zk://zk1/mesos", "mesos.zk")).hasMessageContaining("'zk1'").hasMessageContaining("host:port");
    assertThatThrownBy(() -> ZkUrl.parse("zk://zk1:2181//mesos", "mesos.zk")).hasMessageContaining("empty segment");
  }

  @Test
  void requestsKeepTheServersSchemePortAndPathPrefix() {
    assertThat(Urls.under(URI.create("https://proxy:8443/marathon/"), "/v2/apps")).isEqualTo("https://proxy:8443/marathon/v2/apps");
    assertThat(Urls.under(URI.create("http://127.0.0.1:5050"), "/master/slaves")).isEqualTo("http://127.0.0.1:5050/master/slaves");
  }

  @Test
  void theMemberWithTheLowestSequenceLeads() {
    Map<String, byte[]> latch = new LinkedHashMap<>();
    latch.put("_c_9d1c-latch-0000000007", bytes("m2:8080"));
    latch.put("_c_41aa-latch-0000000003", bytes("m1:8080"));
    latch.put("_c_77ff-latch-0000000011", bytes("m3:8080"));
    latch.put("unrelated", bytes("x:1"));
    assertThat(LeaderElection.leader(latch, "latch-").map(LeaderFollower::hostPort).orElseThrow())
        .contains(URI.create("http://m1:8080"));
    assertThat(LeaderElection.leader(Map.of("log_replicas", bytes("")), "json.info_")).isEmpty();
  }

  @Test
  void aMastersAddressComesFromItsMasterInfo() {
    String info = """
        {"id": "a1", "ip": 16777343, "port": 5050, "pid": "master@127.0.0.1:5050", "hostname": "m1.example",
         "address": {"hostname": "m1.example", "ip": "127.0.0.1", "port": 5050}, "version": "1.10.0"}
        """;
    assertThat(LeaderFollower.masterInfo(bytes(info))).contains(URI.create("http://m1.example:5050"));
    assertThat(LeaderFollower.masterInfo(bytes("{\"hostname\": \"m2\", \"port\": 5051}"))).contains(URI.create("http://m2:5051"));
    assertThat(LeaderFollower.masterInfo(bytes("not json"))).isEmpty();
    assertThat(LeaderFollower.hostPort(bytes("no port"))).isEmpty();
  }

  @Test
  void mesosAttributesDecideWhereAppsMayGoAndInactiveAgentsAreNoCandidates() {
    Map<String, MesosAgents.Agent> agents = MesosAgents.parse("""
        {"slaves": [
          {"id": "S0", "hostname": "node1", "attributes": {"disk": "ssd", "rack": 3}, "active": true},
          {"id": "S1", "hostname": "node2", "attributes": {"disk": "ssd"}, "active": false}],
         "recovered_slaves": []}
        """);
    List<Node> placed = MesosAgents.schedulable(List.of(node("node1", "spinning"), node("node2", "ssd"),
        node("node3", "ssd")), agents);
    assertThat(placed).extracting(Node::name).containsExactly("node1");
    assertThat(placed.get(0).spec().attributes()).containsEntry("disk", "ssd").containsEntry("rack", "3")
        .containsEntry("zone", "a");
    assertThat(MesosAgents.none().schedulable(List.of(node("node3", "ssd")))).extracting(Node::name)
        .containsExactly("node3");
    assertThatThrownBy(() -> MesosAgents.parse("<html>")).hasMessageContaining("/master/slaves is not JSON");
  }

  private static Node node(String name, String disk) {
    return Manifests.readOne("""
        apiVersion: ferry/v1
        kind: Node
        metadata: {name: %s}
        spec: {hostname: %s, address: 127.0.1.1, attributes: {disk: %s, zone: a}, pool: tank}
        """.formatted(name, name, disk), Kind.NODE);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
