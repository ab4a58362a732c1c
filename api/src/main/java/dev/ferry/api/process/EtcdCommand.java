package dev.ferry.api.process;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line of a single-member etcd on loopback (Debian's {@code etcd-server}), the one
 * way Ferry starts etcd: in {@code ./ferry up}, in test fixtures and in benchmarks.
 */
public final class EtcdCommand {

  /** Where Debian's etcd-server installs etcd. */
  public static final Path ETCD = Path.of("/usr/bin/etcd");

  private EtcdCommand() {}

  /** {@code http://127.0.0.1:<port>}. */
  public static String url(int port) {
    return "http://127.0.0.1:" + port;
  }

  /**
   * @param name the member's name
   * @param dataDir its data directory (created by etcd when missing)
   */
  public static List<String> of(String name, Path dataDir, int clientPort, int peerPort) {
    String client = url(clientPort);
    String peer = url(peerPort);
    return List.of(ETCD.toString(),
        "--name", name,
        "--data-dir", dataDir.toString(),
        "--listen-client-urls", client,
        "--advertise-client-urls", client,
        "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer,
        "--initial-cluster", name + "=" + peer,
        "--initial-cluster-state", "new",
        "--logger", "zap",
        "--log-outputs", "stderr");
  }
}
