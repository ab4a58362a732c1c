package dev.ferry.api.store;

import static dev.ferry.api.store.StoreTesting.await;
import static dev.ferry.api.store.StoreTesting.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.ReclaimPolicy;
import dev.ferry.api.store.StoreTesting.Recorder;
import dev.ferry.api.store.WatchEvent.Type;
import dev.ferry.testing.EtcdExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdWatchTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  private static final Duration EVENTUALLY = Duration.ofSeconds(15);

  private EtcdStore store;
  private Subscription watch = () -> {};
  private final Recorder<Node> recorder = new Recorder<>();

  @BeforeEach
  void connect(TestInfo test) {
    store = EtcdStore.connect(etcd.config().withKeyPrefix("/test/" + test.getTestMethod().orElseThrow().getName()));
  }

  @AfterEach
  void close() {
    watch.close();
    store.close();
  }

  @Test
  void deliversAddedModifiedDeletedInOrder() {
    watch = store.listAndWatch(Kind.NODE, LabelSelector.EVERYTHING, recorder);
    await().atMost(EVENTUALLY).until(() -> !recorder.syncs.isEmpty());

    Node created = await(store.create(node("node1")));
    Node modified = await(store.update(relabel(created, "rack", "a")));
    await(store.delete(Kind.NODE, "node1", 0));

    await().atMost(EVENTUALLY).until(() -> recorder.events.size() == 3);
    assertThat(recorder.seen()).containsExactly("ADDED node1", "MODIFIED node1", "DELETED node1");
    assertThat(recorder.revisions()).isSorted().doesNotHaveDuplicates();
    assertThat(recorder.events.get(0).object()).isEqualTo(created);
    assertThat(recorder.events.get(1).object()).isEqualTo(modified);
    assertThat(recorder.events.get(2).object().metadata().labels()).containsEntry("rack", "a");
  }

  @Test
  void listsWhatExistsThenFollowsTheSelector() {
    await(store.create(node("node1", Map.of("disk", "ssd"), "ssd")));
    Node spinning = await(store.create(node("node2", Map.of("disk", "spinning"), "spinning")));

    watch = store.listAndWatch(Kind.NODE, LabelSelector.parse("disk=ssd"), recorder);
    await().atMost(EVENTUALLY).until(() -> recorder.syncs.size() == 1);
    assertThat(recorder.seen()).containsExactly("ADDED node1");

    // node2 moves into the selection, node1 out of it.
    await(store.update(relabel(spinning, "disk", "ssd")));
    Node node1 = await(store.get(Kind.NODE, "node1")).orElseThrow();
    await(store.update(relabel(node1, "disk", "spinning")));

    await().atMost(EVENTUALLY).until(() -> recorder.events.size() == 3);
    assertThat(recorder.seen()).containsExactly("ADDED node1", "ADDED node2", "DELETED node1");
  }

  @Test
  void resumesAfterEtcdRestartsWithoutLosingOrRepeatingEvents() {
    watch = store.listAndWatch(Kind.NODE, LabelSelector.EVERYTHING, recorder);
    await().atMost(EVENTUALLY).until(() -> !recorder.syncs.isEmpty());
    Node node1 = await(store.create(node("node1")));
    await().atMost(EVENTUALLY).until(() -> recorder.events.size() == 1);

    etcd.restart();
    await(store.create(node("node2")));
    await(store.update(relabel(node1, "rack", "a")));
    await(store.delete(Kind.NODE, "node2", 0));

    await().atMost(EVENTUALLY).until(() -> recorder.events.size() >= 4);
    // Give a duplicate, if the resume produced one, the chance to show up.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
        .until(() -> recorder.events.size() == 4);
    assertThat(recorder.seen())
        .containsExactly("ADDED node1", "ADDED node2", "MODIFIED node1", "DELETED node2");
    assertThat(recorder.revisions()).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void resumingPastACompactionRelistsAndSynthesizesDeletes() {
    await(store.create(node("keep")));
    Node changed = await(store.create(node("change")));
    await(store.create(node("vanish")));
    ObjectList<Node> known = await(store.list(Kind.NODE, LabelSelector.EVERYTHING));

    await(store.update(relabel(changed, "rack", "b")));
    await(store.delete(Kind.NODE, "vanish", 0));
    await(store.create(node("appear")));
    long compacted = etcd.compact();
    assertThat(compacted).isGreaterThan(known.revision());

    watch = store.resume(Kind.NODE, LabelSelector.EVERYTHING, known, recorder);
    await().atMost(EVENTUALLY).until(() -> recorder.syncs.size() == 1);
    assertThat(recorder.seen()).containsExactlyInAnyOrder("MODIFIED change", "DELETED vanish", "ADDED appear");
    WatchEvent<Node> deleted = recorder.events.stream()
        .filter(e -> e.type() == Type.DELETED).findFirst().orElseThrow();
    assertThat(deleted.object()).isEqualTo(known.items().stream()
        .filter(n -> n.name().equals("vanish")).findFirst().orElseThrow());

    // Then it watches from the new list on.
    await(store.create(node("later")));
    await().atMost(EVENTUALLY).until(() -> recorder.events.size() == 4);
    assertThat(recorder.seen().get(3)).isEqualTo("ADDED later");
  }

  @Test
  void watchFromACompactedRevisionStartsFromTheCurrentState() {
    long before = await(store.create(node("old"))).metadata().resourceVersion();
    await(store.delete(Kind.NODE, "old", 0));
    await(store.create(node("current")));
    etcd.compact();

    watch = store.watch(Kind.NODE, before, recorder);
    await().atMost(EVENTUALLY).until(() -> recorder.syncs.size() == 1);
    assertThat(recorder.seen()).containsExactly("ADDED current");
  }

  @Test
  void watchFromARevisionReplaysHistory() {
    long from = await(store.create(node("node1"))).metadata().resourceVersion();
    await(store.delete(Kind.NODE, "node1", 0));

    watch = store.watch(Kind.NODE, from, recorder);
    await().atMost(EVENTUALLY).until(() -> recorder.events.size() == 2);
    assertThat(recorder.seen()).containsExactly("ADDED node1", "DELETED node1");
    assertThat(recorder.events.get(0).revision()).isEqualTo(from);
  }

  @Test
  void closedWatchDeliversNothingMore() {
    watch = store.listAndWatch(Kind.NODE, LabelSelector.EVERYTHING, recorder);
    await().atMost(EVENTUALLY).until(() -> !recorder.syncs.isEmpty());
    watch.close();

    await(store.create(node("node1")));
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
        .until(() -> recorder.events.isEmpty());
  }

  @Test
  void aWatchOfSeveralKindsListsThemAtOneRevisionAndDeliversOneOrderedSequence() throws Exception {
    await(store.create(node("before")));
    Recorder<Dataset> datasets = new Recorder<>();
    watch = store.listAndWatch(List.of(new KindWatch<>(Kind.NODE, LabelSelector.EVERYTHING, recorder),
        new KindWatch<>(Kind.DATASET, LabelSelector.EVERYTHING, datasets)));
    await().atMost(EVENTUALLY).until(() -> recorder.syncs.size() == 1 && datasets.syncs.size() == 1);
    assertThat(recorder.syncs).isEqualTo(datasets.syncs);

    // Both kinds written at once; the order each listener hears them in is the order of one
    // sequence, which needs one clock: record the arrival of every event of either kind.
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    WatchListener<Node> nodes = event -> arrivals.add(event.revision());
    WatchListener<Dataset> data = event -> arrivals.add(event.revision());
    watch.close();
    long from = await(store.list(Kind.NODE, LabelSelector.EVERYTHING)).revision();
    watch = store.resume(List.of(new KindWatch<>(Kind.NODE, LabelSelector.EVERYTHING, nodes),
        new KindWatch<>(Kind.DATASET, LabelSelector.EVERYTHING, data)), from);
    ExecutorService writers = Executors.newFixedThreadPool(2);
    try {
      Future<?> n = writers.submit(() -> IntStream.range(0, 15).forEach(i -> await(store.create(node("n" + i)))));
      Future<?> d = writers.submit(() -> IntStream.range(0, 15).forEach(i -> await(store.create(new Dataset(
          ObjectMeta.named("d" + i), new DatasetSpec(Quantity.gibibytes(1), "n1", "", ReclaimPolicy.Retain))))));
      n.get(60, TimeUnit.SECONDS);
      d.get(60, TimeUnit.SECONDS);
    } finally {
      writers.shutdownNow();
    }
    await().atMost(EVENTUALLY).until(() -> arrivals.size() == 30);
    assertThat(arrivals).isSorted().doesNotHaveDuplicates();
    assertThat(arrivals.get(0)).isGreaterThan(from);
  }

  private static Node relabel(Node node, String key, String value) {
    Map<String, String> labels = new HashMap<>(node.metadata().labels());
    labels.put(key, value);
    return node.withMetadata(node.metadata().withLabels(labels));
  }
}
