package dev.ferry.api.store;

import static dev.ferry.api.store.StoreTesting.await;
import static dev.ferry.api.store.StoreTesting.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.NodeSpec;
import dev.ferry.api.model.NodeStatus;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.testing.EtcdExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdStoreTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  private EtcdStore store;

  @BeforeEach
  void connect(TestInfo test) {
    // Each test gets its own key space, so tests cannot see each other's objects.
    store = EtcdStore.connect(etcd.config().withKeyPrefix("/test/" + test.getTestMethod().orElseThrow().getName()));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void createSetsIdentityGenerationAndResourceVersion() {
    Node created = await(store.create(node("node1")));

    assertThat(created.metadata().uid()).isNotEmpty();
    assertThat(created.metadata().generation()).isEqualTo(1);
    assertThat(created.metadata().resourceVersion()).isPositive();
    assertThat(created.metadata().created()).isPresent();
    assertThat(await(store.get(Kind.NODE, "node1"))).contains(created);
    assertThat(await(store.get(Kind.NODE, "node2"))).isEmpty();
  }

  @Test
  void creatingTheSameNameTwiceFailsAndKeepsTheFirst() {
    Node first = await(store.create(node("node1", Map.of(), "ssd")));

    assertThatThrownBy(() -> await(store.create(node("node1", Map.of(), "spinning"))))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining("Node node1 already exists");
    assertThat(await(store.get(Kind.NODE, "node1"))).contains(first);
  }

  @Test
  void secondWriterOfTheSameReadGetsAConflictAndChangesNothing() {
    Node read = await(store.create(node("node1")));
    Node firstWrite = await(store.update(withDisk(read, "spinning")));

    assertThatThrownBy(() -> await(store.update(withDisk(read, "nvme"))))
        .isInstanceOfSatisfying(ConflictException.class, conflict -> {
          assertThat(conflict.kind()).isEqualTo("Node");
          assertThat(conflict.name()).isEqualTo("node1");
          assertThat(conflict.expected()).isEqualTo(read.metadata().resourceVersion());
          assertThat(conflict.actual()).isEqualTo(firstWrite.metadata().resourceVersion());
        });
    assertThat(await(store.get(Kind.NODE, "node1"))).contains(firstWrite);
  }

  @Test
  void generationCountsSpecChangesOnly() {
    Node created = await(store.create(node("node1")));

    Node specChanged = await(store.update(withDisk(created, "spinning")));
    assertThat(specChanged.metadata().generation()).isEqualTo(2);

    Node relabelled = await(store.update(specChanged.withMetadata(
        specChanged.metadata().withLabels(Map.of("rack", "a")))));
    assertThat(relabelled.metadata().generation()).isEqualTo(2);
    assertThat(relabelled.metadata().labels()).containsEntry("rack", "a");

    Node statusWritten = await(store.updateStatus(relabelled.withStatus(status(10))));
    assertThat(statusWritten.metadata().generation()).isEqualTo(2);
  }

  /**
   * A manifest's {@code instances: 1} is a long in memory and an int once stored; a relabel that
   * carries the manifest's spec again is no spec change.
   */
  @Test
  void aRelabelWithTheManifestsOwnSpecKeepsTheGeneration() {
    StatefulApp manifest = Manifests.readOne("""
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: web}
        spec: {app: {cmd: sleep 600, instances: 1, mem: 64, cpus: 0.1}}
        """, Kind.STATEFUL_APP);
    StatefulApp stored = await(store.create(manifest));

    StatefulApp relabelled = await(store.update(stored.withSpec(manifest.spec())
        .withMetadata(stored.metadata().withLabels(Map.of("team", "a")))));
    assertThat(relabelled.metadata().generation()).isEqualTo(1);
  }

  /**
   * An update names the revision its caller read; when the store has just seen that revision
   * (read, written or watched), it writes without reading the object again. Counted on etcd's
   * own request metrics.
   */
  @Test
  void anUpdateOfWhatWasJustReadOrWrittenSendsNoSecondRead() throws Exception {
    await(store.create(node("node1")));
    Node read = await(store.get(Kind.NODE, "node1")).orElseThrow();
    long before = etcdRanges();

    Node updated = await(store.update(withDisk(read, "ssd")));
    Node statusWritten = await(store.updateStatus(updated.withStatus(status(5))));

    assertThat(etcdRanges() - before).as("reads sent to etcd by two updates").isZero();
    assertThat(await(store.get(Kind.NODE, "node1"))).contains(statusWritten);
    // A stale revision is still refused, by the write's own compare.
    assertThatThrownBy(() -> await(store.update(withDisk(read, "nvme")))).isInstanceOf(ConflictException.class);
  }

  private static long etcdRanges() throws Exception {
    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(etcd.endpoint() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    return metrics.lines().filter(l -> l.startsWith("grpc_server_handled_total") && l.contains("grpc_method=\"Range\""))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void updateKeepsStoredIdentityAndStatus() {
    Node created = await(store.create(node("node1")));
    Node withStatus = await(store.updateStatus(created.withStatus(status(42))));

    ObjectMeta m = withStatus.metadata();
    Node forged = withDisk(withStatus, "spinning")
        .withMetadata(new ObjectMeta("node1", m.labels(), m.annotations(), "forged-uid", 99,
            m.resourceVersion(), Instant.EPOCH, null, List.of()))
        .withStatus(status(0));
    Node updated = await(store.update(forged));

    assertThat(updated.metadata().uid()).isEqualTo(created.metadata().uid());
    assertThat(updated.metadata().creationTimestamp()).isEqualTo(created.metadata().creationTimestamp());
    assertThat(updated.metadata().generation()).isEqualTo(2);
    assertThat(updated.status().poolFreeBytes()).isEqualTo(42);
    assertThat(await(store.get(Kind.NODE, "node1"))).contains(updated);
  }

  @Test
  void statusWriteChangesOnlyStatus() {
    Node created = await(store.create(node("node1")));

    Node attempted = withDisk(created, "spinning")
        .withMetadata(created.metadata().withLabels(Map.of("sneaky", "yes")))
        .withStatus(status(7));
    Node written = await(store.updateStatus(attempted));

    assertThat(written.status().poolFreeBytes()).isEqualTo(7);
    assertThat(written.spec()).isEqualTo(created.spec());
    assertThat(written.metadata().labels()).isEmpty();
    assertThat(written.metadata().generation()).isEqualTo(1);
    assertThat(written.metadata().resourceVersion()).isGreaterThan(created.metadata().resourceVersion());
    assertThat(await(store.get(Kind.NODE, "node1"))).contains(written);
  }

  @Test
  void statusWriteFromAStaleReadConflicts() {
    Node created = await(store.create(node("node1")));
    await(store.update(withDisk(created, "spinning")));

    assertThatThrownBy(() -> await(store.updateStatus(created.withStatus(status(1)))))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void updateMustSayWhichVersionItRead() {
    await(store.create(node("node1")));

    assertThatThrownBy(() -> await(store.update(node("node1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resourceVersion");
  }

  @Test
  void updateOfAMissingObjectIsNotFound() {
    Node created = await(store.create(node("node1")));
    await(store.delete(Kind.NODE, "node1", 0));

    assertThatThrownBy(() -> await(store.update(withDisk(created, "spinning"))))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Node node1 not found");
  }

  @Test
  void deleteFromAStaleReadConflictsAndKeepsTheObject() {
    Node created = await(store.create(node("node1")));
    Node updated = await(store.update(withDisk(created, "spinning")));

    assertThatThrownBy(() -> await(store.delete(Kind.NODE, "node1", created.metadata().resourceVersion())))
        .isInstanceOf(ConflictException.class);
    assertThat(await(store.get(Kind.NODE, "node1"))).contains(updated);

    assertThat(await(store.delete(Kind.NODE, "node1", updated.metadata().resourceVersion()))).isTrue();
    assertThat(await(store.get(Kind.NODE, "node1"))).isEmpty();
    assertThat(await(store.delete(Kind.NODE, "node1", 0))).isFalse();
  }

  @Test
  void listSelectsByLabelsAndSortsByName() {
    await(store.create(node("node3", Map.of("disk", "ssd", "rack", "b"), "ssd")));
    await(store.create(node("node1", Map.of("disk", "ssd", "rack", "a"), "ssd")));
    await(store.create(node("node2", Map.of("disk", "spinning"), "spinning")));

    assertThat(names(await(store.list(Kind.NODE, LabelSelector.EVERYTHING))))
        .containsExactly("node1", "node2", "node3");
    assertThat(names(await(store.list(Kind.NODE, LabelSelector.parse("disk=ssd")))))
        .containsExactly("node1", "node3");
    assertThat(names(await(store.list(Kind.NODE, LabelSelector.parse("disk in (ssd,spinning),rack!=b")))))
        .containsExactly("node1", "node2");
    assertThat(names(await(store.list(Kind.NODE, LabelSelector.parse("!rack")))))
        .containsExactly("node2");
    assertThat(await(store.list(Kind.DATASET, LabelSelector.EVERYTHING)).items()).isEmpty();

    ObjectList<Node> all = await(store.list(Kind.NODE, LabelSelector.EVERYTHING));
    assertThat(all.revision()).isGreaterThanOrEqualTo(
        all.items().stream().mapToLong(n -> n.metadata().resourceVersion()).max().orElseThrow());
  }

  @Test
  void objectOnAnExpiredLeaseDisappears() {
    long lease = await(store.grantLease(Duration.ofSeconds(1)));
    await(store.create(node("node1"), lease));

    await().atMost(Duration.ofSeconds(10))
        .until(() -> await(store.get(Kind.NODE, "node1")).isEmpty());
  }

  @Test
  void keptAliveLeaseSurvivesUpdatesAndExpiresOnceReleased() {
    long lease = await(store.grantLease(Duration.ofSeconds(2)));
    Node created = await(store.create(node("node1"), lease));
    Subscription keepAlive = store.keepAlive(lease);
    // The update must leave the key on its lease, or the node would never expire.
    await(store.update(withDisk(created, "spinning")));

    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> await(store.get(Kind.NODE, "node1")).isPresent());

    keepAlive.close();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> await(store.get(Kind.NODE, "node1")).isEmpty());
  }

  @Test
  void fencedWritesFailOnceAnotherLeaderAdvancesTheFence() {
    String epochKey = "/test/fence/epoch";
    Fence oldFence = await(store.advanceFence(epochKey));
    EtcdStore oldLeader = store.fenced(oldFence);
    Node created = await(oldLeader.create(node("node1")));

    Fence newFence = await(store.advanceFence(epochKey));
    assertThat(Long.parseLong(newFence.value())).isEqualTo(Long.parseLong(oldFence.value()) + 1);

    assertThatThrownBy(() -> await(oldLeader.update(withDisk(created, "spinning"))))
        .isInstanceOf(FencedException.class);
    assertThatThrownBy(() -> await(oldLeader.updateStatus(created.withStatus(status(1)))))
        .isInstanceOf(FencedException.class);
    assertThatThrownBy(() -> await(oldLeader.create(node("node2"))))
        .isInstanceOf(FencedException.class);
    assertThatThrownBy(() -> await(oldLeader.delete(Kind.NODE, "node1", 0)))
        .isInstanceOf(FencedException.class);
    assertThat(await(store.get(Kind.NODE, "node1"))).contains(created);
    assertThat(await(store.get(Kind.NODE, "node2"))).isEmpty();

    EtcdStore newLeader = store.fenced(newFence);
    assertThat(await(newLeader.update(withDisk(created, "spinning"))).spec().attributes())
        .containsEntry("disk", "spinning");
  }

  @Test
  void aSpecAndAnotherObjectsStatusAreWrittenBothOrNeither() {
    Node one = await(store.create(node("node1")));
    Node two = await(store.create(node("node2")));

    EtcdStore.Pair<Node, Node> both = await(store.updateWithStatusOf(withDisk(one, "spinning"), two.withStatus(status(7))));
    assertThat(await(store.get(Kind.NODE, "node1")).orElseThrow().spec().attributes()).containsEntry("disk", "spinning");
    assertThat(await(store.get(Kind.NODE, "node2")).orElseThrow().status().poolFreeBytes()).isEqualTo(7);
    assertThat(both.first().metadata().resourceVersion()).isEqualTo(both.second().metadata().resourceVersion());

    // A stale read of either half refuses the whole: the other half is not written either.
    assertThatThrownBy(() -> await(store.updateWithStatusOf(withDisk(both.first(), "nvme"), two.withStatus(status(9)))))
        .isInstanceOf(ConflictException.class).hasMessageContaining("node2");
    assertThatThrownBy(() -> await(store.updateWithStatusOf(withDisk(one, "nvme"), both.second().withStatus(status(9)))))
        .isInstanceOf(ConflictException.class).hasMessageContaining("node1");
    assertThat(await(store.get(Kind.NODE, "node1")).orElseThrow().spec().attributes()).containsEntry("disk", "spinning");
    assertThat(await(store.get(Kind.NODE, "node2")).orElseThrow().status().poolFreeBytes()).isEqualTo(7);

    String epochKey = "/test/fence/pair";
    EtcdStore deposed = store.fenced(await(store.advanceFence(epochKey)));
    await(store.advanceFence(epochKey));
    assertThatThrownBy(() -> await(deposed.updateWithStatusOf(withDisk(both.first(), "nvme"), both.second().withStatus(status(9)))))
        .isInstanceOf(FencedException.class);
    assertThat(await(store.get(Kind.NODE, "node1")).orElseThrow().spec().attributes()).containsEntry("disk", "spinning");
  }

  private static Node withDisk(Node node, String disk) {
    NodeSpec s = node.spec();
    return node.withSpec(new NodeSpec(s.hostname(), s.address(), s.transferPort(),
        Map.of("disk", disk), s.pool(), s.datasetRoot(), s.agentVersion()));
  }

  private static NodeStatus status(long freeBytes) {
    return new NodeStatus(100, freeBytes, 0, null, List.of());
  }

  private static List<String> names(ObjectList<Node> list) {
    return list.items().stream().map(Node::name).toList();
  }
}
