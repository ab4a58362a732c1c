package dev.ferry.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.store.EtcdConfig;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.KindWatch;
import dev.ferry.api.store.Subscription;
import dev.ferry.testing.EtcdExtension;
import dev.ferry.testing.ZooKeeperExtension;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A controller that starts leading mends the node index: a Dataset written before the index
 * existed (the object alone) reaches its node's watch once the leader has started.
 */
class NodeIndexOnLeadTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  @RegisterExtension
  static ZooKeeperExtension zookeeper = new ZooKeeperExtension();

  @Test
  void aNewLeaderGivesAnObjectWrittenBeforeTheIndexItsEntries() throws Exception {
    EtcdConfig config = etcd.config().withKeyPrefix("/node-index-on-lead");
    Set<String> seen = ConcurrentHashMap.newKeySet();
    try (EtcdStore store = EtcdStore.connect(config)) {
      store.create(new Dataset(ObjectMeta.named("old"), new DatasetSpec(Quantity.parse("1Gi"), "node1", "", null)))
          .get(30, TimeUnit.SECONDS);
      try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
        client.getKVClient().delete(bytes("/node-index-on-lead-index/nodes/node1/datasets/old")).get(30, TimeUnit.SECONDS);
        client.getKVClient().delete(bytes("/node-index-on-lead-index/holders/datasets/old")).get(30, TimeUnit.SECONDS);
      }
      Subscription watch = store.watchNode("node1", List.of(new KindWatch<Dataset, DatasetSpec, dev.ferry.api.model.DatasetStatus>(
          Kind.DATASET, LabelSelector.EVERYTHING, e -> seen.add(e.type() + " " + e.object().name()))));
      try (ControllerHarness controller = new ControllerHarness(config, zookeeper.connectString())) {
        await().atMost(Duration.ofSeconds(120)).until(() -> controller.duties.running().isPresent());
        await().atMost(Duration.ofSeconds(120)).until(() -> seen.contains("ADDED old"));
        assertThat(store.get(Kind.DATASET, "old").get(30, TimeUnit.SECONDS)).isPresent();
      } finally {
        watch.close();
      }
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
