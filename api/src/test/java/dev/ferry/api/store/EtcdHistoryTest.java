package dev.ferry.api.store;

import static dev.ferry.api.store.StoreTesting.await;
import static dev.ferry.api.store.StoreTesting.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Node;
import dev.ferry.testing.EtcdExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdHistoryTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  private EtcdStore store;

  @BeforeEach
  void connect() {
    store = EtcdStore.connect(etcd.config());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void historyFromARevisionIsThereUntilCompacted() {
    Node first = await(store.create(node("history-1")));
    await(store.create(node("history-2")));
    await(store.checkHistory(Kind.NODE, first.metadata().resourceVersion()));

    etcd.compact();

    assertThatThrownBy(() -> await(store.checkHistory(Kind.NODE, first.metadata().resourceVersion())))
        .isInstanceOf(HistoryCompactedException.class)
        .hasMessageContaining("list again");
  }

  @Test
  void aRevisionInTheFutureIsRefused() {
    Node stored = await(store.create(node("future")));

    assertThatThrownBy(() -> await(store.checkHistory(Kind.NODE, stored.metadata().resourceVersion() + 1000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("future");
    assertThat(stored.metadata().resourceVersion()).isPositive();
  }
}
