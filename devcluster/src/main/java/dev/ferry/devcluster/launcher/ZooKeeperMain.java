package dev.ferry.devcluster.launcher;

import java.io.File;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.test.TestingServer;

/**
 * {@code ZooKeeperMain --port 2181 --dir DIR}: a real single ZooKeeper server (Curator's
 * {@link TestingServer}) for the one-machine cluster, until SIGTERM.
 */
public final class ZooKeeperMain {

  private ZooKeeperMain() {}

  public static void main(String[] args) throws Exception {
    int port = 2181;
    File dir = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--dir" -> dir = new File(args[i + 1]);
        default -> {
          System.err.println("zookeeper: unknown option " + args[i] + "; usage: ZooKeeperMain --port PORT --dir DIR");
          System.exit(2);
        }
      }
    }
    if (dir == null || args.length % 2 != 0) {
      System.err.println("zookeeper: usage: ZooKeeperMain --port PORT --dir DIR");
      System.exit(2);
      return;
    }
    dir.mkdirs();
    TestingServer server = new TestingServer(port, dir, true);
    System.out.println("zookeeper: serving " + server.getConnectString() + ", data in " + dir);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.stop();
      } catch (Exception e) {
        System.err.println("zookeeper: stopping: " + e.getMessage());
      }
      stopped.countDown();
    }, "zookeeper-shutdown"));
    stopped.await();
  }
}
