package dev.ferry.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Transfer;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.testing.EtcdExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The view against a real etcd: who it wakes when a Migration changes. */
class ClusterViewTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  private static final Duration EVENTUALLY = Duration.ofSeconds(60);

  private EtcdStore store;
  private final ClusterView view = new ClusterView();
  private final List<String> datasets = new CopyOnWriteArrayList<>();
  private final List<Migration> migrations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void connect(TestInfo test) {
    store = EtcdStore.connect(etcd.config().withKeyPrefix("/test/" + test.getTestMethod().orElseThrow().getName()));
    view.watch(store, datasets::add, migrations::add);
  }

  @AfterEach
  void close() {
    view.close();
    store.close();
  }

  @Test
  void aMigrationsProgressWakesItsSourceButNotItsDatasetsAgentWhileItsArrivalAndEndDo() throws Exception {
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

  private static <T> T get(java.util.concurrent.CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }
}
