package dev.ferry.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Transfer;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.testing.EtcdExtension;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The view against a real etcd: who it wakes when a Migration changes, and that a node's view
 * holds what concerns the node and nothing else.
 */
class ClusterViewTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  private static final Duration EVENTUALLY = Duration.ofSeconds(60);

  private EtcdStore store;
  private final ClusterView view = new ClusterView();
  private final List<String> datasets = new CopyOnWriteArrayList<>();
  private final List<Migration> migrations = new CopyOnWriteArrayList<>();

  private final ClusterView node2 = new ClusterView();
  private final List<String> node2Datasets = new CopyOnWriteArrayList<>();
  private String prefix;

  @BeforeEach
  void connect(TestInfo test) {
    prefix = "/test/" + test.getTestMethod().orElseThrow().getName();
    store = EtcdStore.connect(etcd.config().withKeyPrefix(prefix));
  }

  @AfterEach
  void close() {
    view.close();
    node2.close();
    store.close();
  }

  @Test
  void aMigrationsProgressWakesItsSourceButNotItsDatasetsAgentWhileItsArrivalAndEndDo() throws Exception {
    view.watch(store, "node1", datasets::add, migrations::add);
    Migration m = get(store.create(new Migration(ObjectMeta.named("db-1"),
        new MigrationSpec("db-app", "db", "node1", "node2", null, null, 0))));
    await().atMost(EVENTUALLY).until(() -> migrations.size() == 1);
    assertThat(datasets).containsExactly("db");

    Transfer asked = Transfer.request(0, "s0", false, "ticket", Instant.now());
    m = get(store.updateStatus(m.withStatus(m.status().withTransfer(asked))));
    m = get(store.updateStatus(m.withStatus(m.status().withTransfer(asked.running(1 << 20, 1 << 20, Instant.now())))));
    // The dataset's listener is told in the same callback, right after the migration's: by now it would have been.
    await().atMost(EVENTUALLY).until(() -> migrations.size() == 3);
    assertThat(datasets).containsExactly("db");
    assertThat(view.migration("db-1")).hasValueSatisfying(seen -> assertThat(seen.status().currentTransfer())
        .hasValueSatisfying(t -> assertThat(t.bytes()).isEqualTo(1 << 20)));

    get(store.delete(Kind.MIGRATION, "db-1", 0));
    await().atMost(EVENTUALLY).until(() -> migrations.size() == 4);
    assertThat(datasets).containsExactly("db", "db");
  }

  @Test
  void eachNodeSeesOnlyWhatConcernsItAndAMovedDatasetLeavesTheSourceAndReachesTheTarget() throws Exception {
    view.watch(store, "node1", datasets::add, migrations::add);
    node2.watch(store, "node2", node2Datasets::add, m -> { });
    Dataset db = get(store.create(dataset("db", "node1")));
    get(store.create(dataset("theirs", "node2")));
    await().atMost(EVENTUALLY).until(() -> view.dataset("db").isPresent() && node2.dataset("theirs").isPresent());
    assertThat(view.datasetNames()).containsExactly("db");
    assertThat(node2.datasetNames()).containsExactly("theirs");

    // node2 becomes the target: the Migration, then the Dataset it locks, reach it.
    Migration m = get(store.create(new Migration(ObjectMeta.named("db-1"),
        new MigrationSpec("db-app", "db", "node1", "node2", null, null, 0))));
    db = get(store.update(db.withSpec(new DatasetSpec(SIZE, "node1", "db-1", null))));
    await().atMost(EVENTUALLY).until(() -> node2.dataset("db").map(d -> d.spec().migration().equals("db-1")).orElse(false));
    assertThat(node2.migration("db-1")).isPresent();

    // The fenced round the source must never miss.
    m = get(store.updateStatus(m.withStatus(m.status().withTransfer(
        Transfer.request(1, "s1", true, "ticket", Instant.now())))));
    await().atMost(EVENTUALLY).until(() -> view.migration("db-1")
        .flatMap(seen -> seen.status().currentTransfer()).map(Transfer::fence).orElse(false));

    // Both copies reported; Switch and the end of the move: node1 keeps its copy, so the Dataset stays.
    db = get(store.updateStatus(db.withStatus(db.status().withCopies(Map.of("node1", COPY, "node2", COPY)))));
    db = get(store.updateWithStatusOf(db.withSpec(new DatasetSpec(SIZE, "node2", "", null)), m)).first();
    await().atMost(EVENTUALLY).until(() -> view.dataset("db").map(d -> d.spec().primary().equals("node2")).orElse(false));

    // node1's copy gone: the Dataset leaves node1, moved away, not deleted.
    int told = datasets.size();
    db = get(store.updateStatus(db.withStatus(db.status().withCopies(Map.of("node2", COPY)))));
    await().atMost(EVENTUALLY).until(() -> datasets.size() > told && view.dataset("db").isEmpty());
    assertThat(view.deletedDataset("db")).isEmpty();
    assertThat(node2.dataset("db")).hasValueSatisfying(d -> assertThat(d.spec().primary()).isEqualTo("node2"));

    // Deleted: the node that still holds it sees it go, with the reclaim policy it had.
    get(store.delete(Kind.DATASET, "db", db.metadata().resourceVersion()));
    await().atMost(EVENTUALLY).until(() -> node2.deletedDataset("db").isPresent());
    // node2's own Dataset never reached node1's agent, not even as an event it ignored.
    assertThat(datasets).doesNotContain("theirs");
    assertThat(view.datasetNames()).doesNotContain("theirs");
  }

  @Test
  void aControllerRestartGivesTheAgentADatasetWrittenWithoutItsIndexEntry() throws Exception {
    get(store.create(dataset("old", "node1")));
    // As written before the index existed: the object alone.
    try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
      client.getKVClient().delete(bytes(prefix + "-index/nodes/node1/datasets/old")).get(30, TimeUnit.SECONDS);
      client.getKVClient().delete(bytes(prefix + "-index/holders/datasets/old")).get(30, TimeUnit.SECONDS);
    }
    view.watch(store, "node1", datasets::add, migrations::add);
    get(store.create(dataset("new", "node1")));
    await().atMost(EVENTUALLY).until(() -> view.dataset("new").isPresent());
    assertThat(view.dataset("old")).isEmpty();

    // What a controller does when it starts leading.
    assertThat(get(store.repairNodeIndex())).isEqualTo(1);
    await().atMost(EVENTUALLY).until(() -> view.dataset("old").isPresent());
  }

  private static final Quantity SIZE = Quantity.parse("1Gi");
  private static final DatasetCopy COPY = new DatasetCopy(List.of(), 1, 1, true, false, Instant.EPOCH);

  private static Dataset dataset(String name, String primary) {
    return new Dataset(ObjectMeta.named(name), new DatasetSpec(SIZE, primary, "", null));
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static <T> T get(java.util.concurrent.CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }
}
