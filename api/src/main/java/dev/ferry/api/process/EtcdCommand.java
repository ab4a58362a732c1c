package dev.ferry.api.process;

import dev.ferry.api.tls.TlsFiles;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /** {@code https://127.0.0.1:<port>}. */
  public static String tlsUrl(int port) {
    return "https://127.0.0.1:" + port;
  }

  /**
   * Plain HTTP, no authentication: for tests' own etcd.
   *
   * @param name the member's name
   * @param dataDir its data directory (created by etcd when missing)
   */
  public static List<String> of(String name, Path dataDir, int clientPort, int peerPort) {
    return command(name, dataDir, url(clientPort), url(peerPort), List.of());
  }

  /**
   * HTTPS with etcd's own client-certificate authentication: clients and peers must present a
   * certificate the CA of {@code tls} issued, so only the cluster's components reach its data.
   * {@code tls}' certificate must name 127.0.0.1. (etcd 3.4 already requires a client
   * certificate once {@code --trusted-ca-file} is given; {@code --client-cert-auth} says so.)
   */
  public static List<String> withClientCertAuth(String name, Path dataDir, int clientPort, int peerPort, TlsFiles tls) {
    String cert = tls.certFile().toString();
    String key = tls.keyFile().toString();
    String ca = tls.caFile().toString();
    return command(name, dataDir, tlsUrl(clientPort), tlsUrl(peerPort), List.of(
        "--cert-file", cert, "--key-file", key, "--trusted-ca-file", ca, "--client-cert-auth",
        "--peer-cert-file", cert, "--peer-key-file", key, "--peer-trusted-ca-file", ca, "--peer-client-cert-auth"));
  }

  private static List<String> command(String name, Path dataDir, String client, String peer, List<String> tls) {
    List<String> command = new ArrayList<>(List.of(ETCD.toString(),
        "--name", name,
        "--data-dir", dataDir.toString(),
        "--listen-client-urls", client,
        "--advertise-client-urls", client,
        "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer,
        "--initial-cluster", name + "=" + peer,
        "--initial-cluster-state", "new",
        "--logger", "zap",
        "--log-outputs", "stderr"));
    command.addAll(tls);
    return List.copyOf(command);
  }
}
