package dev.ferry.controller.runtime;

import dev.ferry.testing.EtcdExtension;
import dev.ferry.testing.ZfsPoolExtension;
import dev.ferry.testing.ZooKeeperExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every test of moving data starts from: real etcd, ZooKeeper and zfs-fuse pools, and a
 * {@link MigrationFixture} (controller, devcluster, two node agents) for the test class.
 */
abstract class MigrationClusterTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  @RegisterExtension
  static ZooKeeperExtension zookeeper = new ZooKeeperExtension();

  @RegisterExtension
  static ZfsPoolExtension pools = ZfsPoolExtension.perClass();

  static MigrationFixture cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new MigrationFixture(etcd.config(), zookeeper.connectString(), pools);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }
}
