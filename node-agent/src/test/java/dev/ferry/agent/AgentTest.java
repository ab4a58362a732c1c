package dev.ferry.agent;

import static dev.ferry.agent.testing.ControllerStandIn.PATIENCE;
import static dev.ferry.agent.testing.ControllerStandIn.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.agent.testing.AgentProcess;
import dev.ferry.agent.testing.AgentProcess.TestNode;
import dev.ferry.agent.testing.ControllerStandIn;
import dev.ferry.agent.testing.DataFiles;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.ReclaimPolicy;
import dev.ferry.api.model.Snapshot;
import dev.ferry.api.model.Transfer;
import dev.ferry.api.model.TransferState;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.testing.EtcdExtension;
import dev.ferry.testing.FreePort;
import dev.ferry.testing.ZfsPoolExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two node agents as real processes, node1 on 127.0.1.1 and node2 on 127.0.1.2, each with its
 * own zfs-fuse pool, and a real etcd; the test plays the controller.
 */
class AgentTest {

  private static final long MIB = 1 << 20;
  /** What `ferry up` writes into the cluster key file: random text, its bytes the key. */
  private static final String KEY_TEXT = java.util.Base64.getEncoder()
      .encodeToString(new java.security.SecureRandom().generateSeed(36));
  private static final ClusterKey KEY = ClusterKey.of(KEY_TEXT.getBytes(StandardCharsets.UTF_8));

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  @RegisterExtension
  final ZfsPoolExtension pools = ZfsPoolExtension.perTest();

  @TempDir
  Path dir;

  private static EtcdStore store;
  private static ControllerStandIn controller;
  private final List<AgentProcess> agents = new ArrayList<>();
  private Path keyFile;

  @BeforeAll
  static void connect() {
    store = EtcdStore.connect(ETCD.config());
    controller = new ControllerStandIn(store, KEY);
  }

  @AfterAll
  static void disconnect() {
    store.close();
  }

  @BeforeEach
  void writeKey() throws IOException {
    keyFile = dir.resolve("cluster.key");
    Files.writeString(keyFile, KEY_TEXT + "\n");
  }

  @AfterEach
  void stopAgentsAndForgetObjects() {
    agents.forEach(AgentProcess::close);
    deleteAll(Kind.MIGRATION);
    deleteAll(Kind.DATASET);
    deleteAll(Kind.NODE);
  }

  private static <O extends dev.ferry.api.model.FerryObject<O, S, T>, S, T> void deleteAll(Kind<O, S, T> kind) {
    get(store.list(kind, LabelSelector.EVERYTHING)).items().forEach(o -> get(store.delete(kind, o.name(), 0)));
  }

  @Test
  void registersItsNodeWhichDisappearsWhenTheAgentIsKilled() {
    AgentProcess agent = start(node1(pools.pool()));

    Node node = awaitNode("node1");
    assertThat(node.spec().address()).isEqualTo("127.0.1.1");
    assertThat(node.spec().attributes()).isEqualTo(Map.of("disk", "spinning", "rack", "a"));
    assertThat(node.spec().pool()).isEqualTo(pools.pool().name());
    assertThat(node.spec().datasetRoot()).isEqualTo(pools.pool().mountRoot().toString());
    assertThat(node.spec().agentVersion()).isNotBlank();
    assertThat(node.status().poolSizeBytes()).isPositive();
    assertThat(node.status().poolFreeBytes()).isPositive().isLessThanOrEqualTo(node.status().poolSizeBytes());

    agent.kill();

    await().atMost(PATIENCE).until(() -> get(store.get(Kind.NODE, "node1")).isEmpty());
  }

  @Test
  void aStoppedAgentTakesItsNodeWithIt() {
    AgentProcess agent = start(node1(pools.pool()));
    awaitNode("node1");

    agent.close();

    assertThat(agent.isAlive()).isFalse();
    await().atMost(PATIENCE).until(() -> get(store.get(Kind.NODE, "node1")).isEmpty());
  }

  private TestNode node1(ZfsPoolExtension.Pool pool) {
    return new TestNode("node1", "127.0.1.1", FreePort.pick(), pool, "disk:spinning;rack:a");
  }

  private TestNode node2(ZfsPoolExtension.Pool pool) {
    return new TestNode("node2", "127.0.1.2", FreePort.pick(), pool, "disk:ssd");
  }

  private AgentProcess start(TestNode node) {
    AgentProcess agent = AgentProcess.start(node, ETCD.endpoint(), keyFile, dir);
    agents.add(agent);
    return agent;
  }

  private Node awaitNode(String name) {
    return await().atMost(PATIENCE).until(() -> get(store.get(Kind.NODE, name)), Optional::isPresent).orElseThrow();
  }
}
