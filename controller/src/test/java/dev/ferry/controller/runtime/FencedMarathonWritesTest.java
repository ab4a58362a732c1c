package dev.ferry.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.api.process.Directories;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.Fence;
import dev.ferry.api.store.FencedException;
import dev.ferry.controller.marathon.AppSecrets;
import dev.ferry.controller.marathon.MarathonClient;
import dev.ferry.devcluster.Devcluster;
import dev.ferry.devcluster.DevclusterConfig;
import dev.ferry.devcluster.marathon.ApiAccess;
import dev.ferry.testing.EtcdExtension;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A leader's Marathon writes are fenced like its etcd writes: once a new leader advanced the
 * epoch, a deposed or paused leader that goes on reconciling writes nothing to Marathon. Checked
 * where it lands: the app is absent from (or unchanged in) the real Marathon-compatible scheduler.
 */
class FencedMarathonWritesTest {

  private static final String FENCE_KEY = "/fenced-marathon-test/epoch";

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  private Vertx vertx;
  private Path stateDir;
  private Devcluster marathon;
  private MarathonClient client;
  private EtcdStore store;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    stateDir = Files.createTempDirectory("ferry-fenced-marathon");
    MarathonCredentials credentials = new MarathonCredentials("ferry", UUID.randomUUID().toString());
    marathon = Devcluster.start(vertx, new DevclusterConfig("127.0.0.1", 0, DevclusterConfig.seedNodes(), stateDir, true,
        ApiAccess.authenticated(credentials))).await();
    client = new MarathonClient(vertx, () -> URI.create(marathon.url()), Optional.of(credentials));
    store = EtcdStore.connect(etcd.config().withKeyPrefix("/fenced-marathon-test"));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      store.close();
      client.close();
      marathon.stop().await();
    } finally {
      vertx.close().await();
      Directories.delete(stateDir);
    }
  }

  private Cluster leaderWith(Fence fence) {
    return new Cluster(store.fenced(fence), null, null, null, null, client, null, null, null, Clock.systemUTC(),
        AppSecrets.none());
  }

  private static ObjectNode sleeper(String id) throws Exception {
    return (ObjectNode) Json.json().readTree("{\"id\":\"" + id + "\",\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16,\"instances\":1}");
  }

  @Test
  void aDeposedLeaderWritesNothingToMarathon() throws Exception {
    Fence old = store.advanceFence(FENCE_KEY).join();
    Cluster deposed = leaderWith(old);
    deposed.putApp("/before", sleeper("/before"), false).await();
    assertThat(client.app("/before").await()).as("the leader's write lands while it holds the epoch").isPresent();

    Fence newer = store.advanceFence(FENCE_KEY).join();
    assertThat(newer.value()).isNotEqualTo(old.value());

    assertThatThrownBy(() -> deposed.putApp("/after", sleeper("/after"), true).await())
        .isInstanceOf(FencedException.class);
    assertThat(client.app("/after").await()).as("no app written by the deposed leader").isEmpty();

    assertThatThrownBy(() -> deposed.deleteApp("/before").await()).isInstanceOf(FencedException.class);
    assertThat(client.app("/before").await()).as("nor deleted by it").isPresent();

    leaderWith(newer).deleteApp("/before").await();
    assertThat(client.app("/before").await()).as("the new leader writes").isEmpty();
  }
}
