package dev.ferry.testing;

import dev.ferry.api.process.FreePort;
import java.io.IOException;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real ZooKeeper server in this JVM (Curator's {@link TestingServer}) on a free port, for one
 * test class:
 *
 * <pre>{@code
 * @RegisterExtension static ZooKeeperExtension zookeeper = new ZooKeeperExtension();
 * }</pre>
 */
public final class ZooKeeperExtension implements BeforeAllCallback, AfterAllCallback {

  private TestingServer server;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server = new TestingServer(FreePort.pick(), true);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (server != null) {
      // Also deletes the server's temporary data directory.
      server.close();
      server = null;
    }
  }

  /** {@code 127.0.0.1:<port>}, for Curator or a ZooKeeper client. */
  public String connectString() {
    if (server == null) {
      throw new IllegalStateException("ZooKeeper is not running: register the extension as a static field");
    }
    return server.getConnectString();
  }
}
