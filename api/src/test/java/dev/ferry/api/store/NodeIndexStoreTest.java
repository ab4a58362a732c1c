package dev.ferry.api.store;

import static dev.ferry.api.store.StoreTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Quantity;
import dev.ferry.testing.EtcdExtension;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The node index against a real etcd: what every write leaves in it, and its repair. */
class NodeIndexStoreTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  private EtcdStore store;
  private String index;

  @BeforeEach
  void connect(TestInfo test) {
    String prefix = "/test/" + test.getTestMethod().orElseThrow().getName();
    index = prefix + "-index/";
    store = EtcdStore.connect(etcd.config().withKeyPrefix(prefix));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void everyWriteLeavesTheObjectUnderExactlyTheNodesItConcernsAtItsOwnRevision() {
    Dataset d = await(store.create(dataset("db", "node1", "")));
    assertThat(index()).containsOnlyKeys("nodes/node1/datasets/db", "holders/datasets/db");
    assertEntriesAre(d, "node1");

    Migration m = await(store.create(new Migration(ObjectMeta.named("db-1"),
        new MigrationSpec("db-app", "db", "node1", "node2", null, null, 0))));
    assertEntriesAre(m, "node1", "node2");

    // The lock set: the target has the Dataset before it holds any copy.
    d = await(store.update(d.withSpec(spec("node1", "db-1"))));
    assertEntriesAre(d, "node1", "node2");
    d = await(store.updateStatus(d.withStatus(d.status().withCopies(Map.of("node1", copy(), "node2", copy())))));
    assertEntriesAre(d, "node1", "node2");

    // Switch and the end of the move in one transaction; the source keeps its copy.
    EtcdStore.Pair<Dataset, Migration> ended = await(store.updateWithStatusOf(d.withSpec(spec("node2", "")), m));
    d = ended.first();
    assertEntriesAre(d, "node1", "node2");
    assertEntriesAre(ended.second(), "node1", "node2");

    // The source's copy gone: the Dataset leaves node1's index.
    d = await(store.updateStatus(d.withStatus(d.status().withCopies(Map.of("node2", copy())))));
    assertEntriesAre(d, "node2");
    assertThat(index()).doesNotContainKey("nodes/node1/datasets/db");

    await(store.delete(Kind.MIGRATION, "db-1", 0));
    await(store.delete(Kind.DATASET, "db", d.metadata().resourceVersion()));
    assertThat(index()).isEmpty();
  }

  @Test
  void aDatasetWhoseMigrationIsGoneLeavesItsTargetAtItsNextWrite() {
    await(store.create(new Migration(ObjectMeta.named("db-1"),
        new MigrationSpec("db-app", "db", "node1", "node3", null, null, 0))));
    Dataset d = await(store.create(dataset("db", "node1", "db-1")));
    assertEntriesAre(d, "node1", "node3");

    // A user deleted the Migration midway: its nodes can no longer be read, the holders list still names them.
    await(store.delete(Kind.MIGRATION, "db-1", 0));
    d = await(store.update(d.withSpec(spec("node1", ""))));
    assertEntriesAre(d, "node1");
  }

  @Test
  void aNodesWatchDeliversItsObjectsOnlyWithTheirOwnResourceVersion() {
    StoreTesting.Recorder<Dataset> node1 = new StoreTesting.Recorder<>();
    Subscription watch = store.watchNode("node1", List.of(new KindWatch<>(Kind.DATASET,
        dev.ferry.api.model.LabelSelector.EVERYTHING, node1)));
    try {
      Dataset mine = await(store.create(dataset("mine", "node1", "")));
      await(store.create(dataset("theirs", "node2", "")));
      Dataset moved = await(store.update(mine.withSpec(spec("node2", ""))));
      await(store.create(dataset("last", "node1", "")));
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> node1.events.size() == 3);
      assertThat(node1.seen()).containsExactly("ADDED mine", "DELETED mine", "ADDED last");
      assertThat(node1.events.get(0).object()).isEqualTo(mine);
      assertThat(node1.events.get(1).revision()).isEqualTo(moved.metadata().resourceVersion());
    } finally {
      watch.close();
    }
  }

  @Test
  void repairGivesObjectsWrittenBeforeTheIndexTheirEntriesAndRemovesStrays() {
    Dataset d = await(store.create(dataset("db", "node1", "")));
    await(store.create(dataset("fine", "node2", "")));
    // As if written before the index existed: no entry, no holders list. And an entry of nothing.
    var kv = store.connection().client.getKVClient();
    await(kv.delete(bytes(index + "nodes/node1/datasets/db")));
    await(kv.delete(bytes(index + "holders/datasets/db")));
    await(kv.put(bytes(index + "nodes/node9/datasets/ghost"), bytes("{}")));

    assertThat(await(store.repairNodeIndex())).isEqualTo(2);

    Dataset again = await(store.get(Kind.DATASET, "db")).orElseThrow();
    assertThat(again.metadata().resourceVersion()).isGreaterThan(d.metadata().resourceVersion());
    assertThat(again.withMetadata(d.metadata())).isEqualTo(d);
    assertEntriesAre(again, "node1");
    assertThat(index()).doesNotContainKey("nodes/node9/datasets/ghost");
    assertThat(await(store.repairNodeIndex())).isZero();
  }

  /** The index under this test's prefix: key (below the prefix) to value. */
  private Map<String, KeyValue> index() {
    var got = await(store.connection().client.getKVClient().get(bytes(index),
        GetOption.builder().isPrefix(true).build()));
    return got.getKvs().stream().collect(Collectors.toMap(
        kv -> kv.getKey().toString(StandardCharsets.UTF_8).substring(index.length()), kv -> kv, (a, b) -> a, TreeMap::new));
  }

  /** The object has an entry under exactly {@code nodes}, each its value at its revision, and a holders list naming them. */
  private void assertEntriesAre(dev.ferry.api.model.FerryObject<?, ?, ?> object, String... nodes) {
    Kind<?, ?, ?> kind = Kind.find(object.kind()).orElseThrow();
    String suffix = "/" + kind.plural() + "/" + object.name();
    Map<String, KeyValue> entries = index().entrySet().stream()
        .filter(e -> e.getKey().startsWith("nodes/") && e.getKey().endsWith(suffix))
        .collect(Collectors.toMap(e -> e.getKey().split("/")[1], Map.Entry::getValue));
    assertThat(entries).containsOnlyKeys(nodes);
    entries.values().forEach(kv -> {
      assertThat(kv.getModRevision()).isEqualTo(object.metadata().resourceVersion());
      assertThat(ObjectCodec.decode(kind.type(), kv)).isEqualTo(object);
    });
    KeyValue holders = index().get("holders" + suffix);
    assertThat(holders.getModRevision()).isEqualTo(object.metadata().resourceVersion());
    assertThat(NodeIndexWrites.decode(holders.getValue())).containsExactlyInAnyOrder(nodes);
  }

  private static Dataset dataset(String name, String primary, String migration) {
    return new Dataset(ObjectMeta.named(name), spec(primary, migration));
  }

  private static DatasetSpec spec(String primary, String migration) {
    return new DatasetSpec(Quantity.parse("1Gi"), primary, migration, null);
  }

  private static DatasetCopy copy() {
    return new DatasetCopy(List.of(), 1, 1, true, false, null);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
