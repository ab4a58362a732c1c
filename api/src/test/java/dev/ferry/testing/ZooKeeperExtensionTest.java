package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ZooKeeperExtensionTest {

  @RegisterExtension
  static ZooKeeperExtension zookeeper = new ZooKeeperExtension();

  @Test
  void servesZnodesAndLeaderElection() throws Exception {
    try (CuratorFramework curator =
        CuratorFrameworkFactory.newClient(zookeeper.connectString(), new RetryOneTime(100))) {
      curator.start();
      curator.create().creatingParentsIfNeeded().forPath("/ferry/test", "hello".getBytes(StandardCharsets.UTF_8));
      assertThat(new String(curator.getData().forPath("/ferry/test"), StandardCharsets.UTF_8)).isEqualTo("hello");

      try (LeaderLatch latch = new LeaderLatch(curator, "/ferry/leader", "controller-1")) {
        latch.start();
        await().atMost(Duration.ofSeconds(10)).until(latch::hasLeadership);
      }
    }
  }
}
