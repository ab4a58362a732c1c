package dev.ferry.controller.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.codec.Manifests;
import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Node;
import dev.ferry.api.process.Directories;
import dev.ferry.controller.marathon.MarathonApps;
import dev.ferry.controller.marathon.MarathonClient;
import dev.ferry.devcluster.Devcluster;
import dev.ferry.devcluster.DevclusterConfig;
import dev.ferry.devcluster.marathon.ApiAccess;
import dev.ferry.testing.ZooKeeperExtension;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Finding Marathon's leader and the Mesos master through a real ZooKeeper, laid out as Marathon
 * and Mesos lay it out (NOTES.md §5.3): Marathon replicas in a Curator {@code LeaderLatch} under
 * {@code /marathon/leader-curator} with {@code host:port} as their ids, Mesos masters as
 * ephemeral sequential {@code json.info_} znodes holding their {@code MasterInfo}. devcluster
 * answers as both.
 */
class DiscoveryTest {

  @RegisterExtension
  static ZooKeeperExtension zookeeper = new ZooKeeperExtension();

  private static final Vertx VERTX = Vertx.vertx();
  private static final MarathonCredentials CREDENTIALS = new MarathonCredentials("ferry", UUID.randomUUID().toString());
  private static Path stateDir;
  private static Devcluster devcluster;
  private static CuratorFramework curator;

  @BeforeAll
  static void start() throws Exception {
    stateDir = Files.createTempDirectory("ferry-discovery");
    devcluster = Devcluster.start(VERTX, new DevclusterConfig("127.0.0.1", 0, DevclusterConfig.seedNodes(), stateDir, true,
        ApiAccess.authenticated(CREDENTIALS))).await();
    curator = CuratorFrameworkFactory.newClient(zookeeper.connectString(), new RetryOneTime(100));
    curator.start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (curator != null) {
        curator.close();
      }
      if (devcluster != null) {
        devcluster.stop().await();
      }
    } finally {
      VERTX.close().await();
      Directories.delete(stateDir);
    }
  }

  @Test
  void theControllerTalksToWhicheverMarathonLeadsAndFollowsANewLeader() throws Exception {
    URI real = URI.create(devcluster.url());
    ZkUrl zk = ZkUrl.parse("zk://" + zookeeper.connectString() + "/marathon", "marathon.zk");
    LeaderLatch first = new LeaderLatch(curator, "/marathon/leader-curator", real.getHost() + ":" + real.getPort());
    try (LeaderLatch second = new LeaderLatch(curator, "/marathon/leader-curator", "127.0.0.1:9");
         LeaderFollower leader = LeaderFollower.marathon(curator, zk)) {
      first.start();
      assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
      second.start();
      leader.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> leader.leader().equals(Optional.of(real)));

      MarathonClient client = new MarathonClient(VERTX, () -> leader.leader().orElse(URI.create("http://127.0.0.1:9")),
          Optional.of(CREDENTIALS));
      try {
        assertThat(client.appsLabelled(MarathonApps.LABEL_STATEFULAPP).await()).isEmpty();
        first.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> leader.leader().equals(Optional.of(URI.create("http://127.0.0.1:9"))));
        assertThat(client.base()).isEqualTo(URI.create("http://127.0.0.1:9"));
      } finally {
        client.close();
      }
    } finally {
      if (first.getState() == LeaderLatch.State.STARTED) {
        first.close();
      }
    }
  }

  @Test
  void placementReadsTheAgentsOfTheLeadingMesosMaster() throws Exception {
    URI real = URI.create(devcluster.url());
    String standby = """
        {"id": "m0", "hostname": "127.0.0.1", "port": 9, "address": {"hostname": "127.0.0.1", "ip": "127.0.0.1", "port": 9}}
        """;
    String leading = """
        {"id": "m1", "hostname": "%s", "port": %d, "address": {"hostname": "%s", "ip": "%s", "port": %d}}
        """.formatted(real.getHost(), real.getPort(), real.getHost(), real.getHost(), real.getPort());
    // The lower sequence leads: the real master joins first, then a standby.
    curator.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath("/mesos/json.info_", leading.getBytes(StandardCharsets.UTF_8));
    curator.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath("/mesos/json.info_", standby.getBytes(StandardCharsets.UTF_8));
    curator.create().forPath("/mesos/log_replicas");

    try (LeaderFollower master = LeaderFollower.mesos(curator, ZkUrl.parse("zk://" + zookeeper.connectString() + "/mesos", "mesos.zk"));
         MesosAgents agents = MesosAgents.polling(VERTX, master::leader, Duration.ofSeconds(1))) {
      master.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> master.leader().equals(Optional.of(real)));
      agents.start();
      // devcluster's agents: node1 disk=spinning, node2 disk=ssd. Ferry's node2 registered
      // without its disk attribute; Ferry's node3 has no Mesos agent.
      List<Node> registered = List.of(node("node1", "{disk: spinning}"), node("node2", "{rack: r2}"),
          node("node3", "{disk: ssd}"));
      await().atMost(Duration.ofSeconds(30)).until(() -> agents.schedulable(registered).size() == 2);
      List<Node> schedulable = agents.schedulable(registered);
      assertThat(schedulable).extracting(Node::name).containsExactly("node1", "node2");
      assertThat(schedulable.get(1).spec().attributes()).containsEntry("disk", "ssd").containsEntry("rack", "r2");
    }
  }

  private static Node node(String name, String attributes) {
    return Manifests.readOne("""
        apiVersion: ferry/v1
        kind: Node
        metadata: {name: %s}
        spec: {hostname: %s, address: 127.0.1.1, attributes: %s, pool: tank}
        """.formatted(name, name, attributes), Kind.NODE);
  }
}
