package dev.ferry.agent.config;

import dev.ferry.agent.transfer.TransferServer;
import dev.ferry.agent.zfs.ZfsLayout;
import dev.ferry.agent.dataset.UsageThreshold;
import dev.ferry.api.model.Durations;
import dev.ferry.api.model.NodeSpec;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.store.EtcdConfig;
import dev.ferry.api.tls.TlsFiles;
import dev.ferry.api.validation.Names;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one node agent needs to run, checked: a bad value fails at start-up with a message
 * naming the setting, where it came from and what is wrong, never later.
 *
 * @param nodeName the Node's name, a DNS-1123 label ({@code node1})
 * @param hostname what Marathon's {@code hostname} constraint matches; the node name by default
 * @param address the address the transfer server listens on and other agents connect to
 * @param transferPort the transfer server's port, {@value NodeSpec#DEFAULT_TRANSFER_PORT} by default
 * @param attributes the Mesos agent attributes
 * @param layout the pool and the directory datasets are mounted under
 * @param etcd how to reach etcd
 * @param clusterKeyFile the file holding the cluster key (hex), which authenticates agents and
 *     signs transfer tickets and receipts
 * @param tls this agent's certificate, key and the cluster CA ({@code tlsCertFile},
 *     {@code tlsKeyFile}, {@code tlsCaFile}: all three or none): with them the transfer server
 *     takes only mutual-TLS clients and the agent calls other agents over mutual TLS; without,
 *     plain HTTP
 * @param stateDir where the agent keeps what must outlive it: the used transfer ticket nonces;
 *     {@value #DEFAULT_STATE_DIR} by default
 * @param leaseTtl how long the Node outlives the agent's last keep-alive
 * @param refreshInterval how often the Node's pool figures and attributes are checked
 * @param resyncInterval how often the agent lists its pool's copies (one {@code zfs} command) and
 *     looks again at each dataset of this node whose copy or object changed since, events or not
 * @param transferMaxBytesPerSecond the most bytes per second this node's outgoing streams send
 *     together ({@code transferMaxBytesPerSecond}, a quantity such as {@code 50Mi}); 0 (the
 *     default) for no cap. The cut-over's final round is not held back by it.
 * @param usage when a copy's space figures alone are written to its Dataset ({@link UsageThreshold})
 * @param maxConcurrentReceives how many streams this node receives at once
 *     ({@code maxConcurrentReceives}, {@value dev.ferry.agent.transfer.TransferServer#DEFAULT_MAX_RECEIVES} by
 *     default); a sender past it is answered 429 and sends again when told
 */
public record AgentConfig(
    String nodeName,
    String hostname,
    String address,
    int transferPort,
    Map<String, String> attributes,
    ZfsLayout layout,
    EtcdConfig etcd,
    Path clusterKeyFile,
    Optional<TlsFiles> tls,
    Path stateDir,
    Duration leaseTtl,
    Duration refreshInterval,
    Duration resyncInterval,
    Quantity transferMaxBytesPerSecond,
    UsageThreshold usage,
    int maxConcurrentReceives) {

  public static final String DEFAULT_ETCD = "http://127.0.0.1:2379";
  public static final String DEFAULT_STATE_DIR = "/var/lib/ferry/agent";
  public static final Path DEFAULT_ATTRIBUTES_FILE = Path.of("/etc/mesos-slave/attributes");

  public AgentConfig {
    attributes = Map.copyOf(attributes);
  }

  /** A config whose streams are not capped. */
  public AgentConfig(String nodeName, String hostname, String address, int transferPort, Map<String, String> attributes,
      ZfsLayout layout, EtcdConfig etcd, Path clusterKeyFile, Optional<TlsFiles> tls, Path stateDir, Duration leaseTtl,
      Duration refreshInterval, Duration resyncInterval) {
    this(nodeName, hostname, address, transferPort, attributes, layout, etcd, clusterKeyFile, tls, stateDir, leaseTtl,
        refreshInterval, resyncInterval, Quantity.ofBytes(0), UsageThreshold.DEFAULT, TransferServer.DEFAULT_MAX_RECEIVES);
  }

  /** The config from {@code --config FILE} (optional) and the process's environment. */
  public static AgentConfig load(Optional<Path> file, Map<String, String> env) {
    return from(Settings.load(file, env));
  }

  /** Checks and converts every setting. */
  public static AgentConfig from(Settings s) {
    String nodeName = s.require(Setting.NODE_NAME);
    Names.checkDnsLabel(nodeName).ifPresent(why -> {
      throw s.invalid(Setting.NODE_NAME, "a node name " + why);
    });
    return new AgentConfig(
        nodeName,
        s.get(Setting.HOSTNAME).orElse(nodeName),
        address(s),
        port(s),
        attributes(s),
        layout(s),
        EtcdSettings.from(s),
        readableFile(s, Setting.CLUSTER_KEY_FILE, s.require(Setting.CLUSTER_KEY_FILE)),
        tls(s),
        Path.of(s.get(Setting.STATE_DIR).orElse(DEFAULT_STATE_DIR)),
        duration(s, Setting.LEASE_TTL, Duration.ofSeconds(10)),
        duration(s, Setting.REFRESH_INTERVAL, Duration.ofSeconds(30)),
        duration(s, Setting.RESYNC_INTERVAL, Duration.ofSeconds(30)),
        quantity(s, Setting.TRANSFER_MAX_BYTES_PER_SECOND),
        new UsageThreshold(bytes(s, Setting.USAGE_REPORT_BYTES, UsageThreshold.DEFAULT.bytes()),
            duration(s, Setting.USAGE_REPORT_INTERVAL, UsageThreshold.DEFAULT.minInterval())),
        positive(s, Setting.MAX_CONCURRENT_RECEIVES, TransferServer.DEFAULT_MAX_RECEIVES));
  }

  private static int positive(Settings s, Setting setting, int fallback) {
    String text = s.get(setting).orElse(Integer.toString(fallback));
    try {
      int value = Integer.parseInt(text);
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw s.invalid(setting, "must be a whole number of 1 or more, not '" + text + "'");
  }

  private static Quantity quantity(Settings s, Setting setting) {
    try {
      return s.get(setting).map(Quantity::parse).orElse(Quantity.ofBytes(0));
    } catch (IllegalArgumentException e) {
      throw s.invalid(setting, e.getMessage() + "; 0 or unset for no cap");
    }
  }

  private static Optional<TlsFiles> tls(Settings s) {
    if (s.get(Setting.TLS_CERT_FILE).isEmpty() && s.get(Setting.TLS_KEY_FILE).isEmpty()
        && s.get(Setting.TLS_CA_FILE).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new TlsFiles(tlsFile(s, Setting.TLS_CERT_FILE), tlsFile(s, Setting.TLS_KEY_FILE),
        tlsFile(s, Setting.TLS_CA_FILE)));
  }

  private static Path tlsFile(Settings s, Setting setting) {
    if (s.get(setting).isEmpty()) {
      throw s.invalid(setting, "missing: TLS needs tlsCertFile, tlsKeyFile and tlsCaFile together");
    }
    return readableFile(s, setting, s.get(setting).get());
  }

  private static String address(Settings s) {
    String address = s.require(Setting.ADDRESS);
    try {
      InetAddress.getByName(address);
      return address;
    } catch (UnknownHostException e) {
      throw s.invalid(Setting.ADDRESS, "not an IP address or a host name this machine can resolve");
    }
  }

  private static int port(Settings s) {
    String text = s.get(Setting.TRANSFER_PORT).orElse(Integer.toString(NodeSpec.DEFAULT_TRANSFER_PORT));
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw s.invalid(Setting.TRANSFER_PORT, "a port is a number from 1 to 65535");
  }

  private static Map<String, String> attributes(Settings s) {
    if (s.get(Setting.ATTRIBUTES).isPresent()) {
      try {
        return MesosAttributes.parse(s.get(Setting.ATTRIBUTES).get());
      } catch (IllegalArgumentException e) {
        throw s.invalid(Setting.ATTRIBUTES, e.getMessage() + " (Mesos's form is disk:ssd;rack:a)");
      }
    }
    Path file = s.get(Setting.ATTRIBUTES_FILE).map(Path::of).orElse(DEFAULT_ATTRIBUTES_FILE);
    try {
      return MesosAttributes.read(file);
    } catch (IOException | IllegalArgumentException e) {
      throw s.invalid(Setting.ATTRIBUTES_FILE, "cannot read Mesos attributes from " + file + ": " + e.getMessage());
    }
  }

  private static ZfsLayout layout(Settings s) {
    String pool = s.require(Setting.POOL);
    String root = s.get(Setting.DATASET_ROOT).orElse(NodeSpec.DEFAULT_DATASET_ROOT);
    try {
      return new ZfsLayout(pool, Path.of(root));
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith("pool") ? s.invalid(Setting.POOL, e.getMessage())
          : s.invalid(Setting.DATASET_ROOT, e.getMessage());
    }
  }

  static Path readableFile(Settings s, Setting setting, String path) {
    Path file = Path.of(path);
    if (!Files.isReadable(file) || Files.isDirectory(file)) {
      throw s.invalid(setting, "no readable file at " + file.toAbsolutePath());
    }
    return file;
  }

  private static long bytes(Settings s, Setting setting, long fallback) {
    if (s.get(setting).isEmpty()) {
      return fallback;
    }
    try {
      long bytes = Quantity.parse(s.get(setting).get()).bytes();
      if (bytes <= 0) {
        throw s.invalid(setting, "must be more than zero bytes");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw s.invalid(setting, e.getMessage());
    }
  }

  private static Duration duration(Settings s, Setting setting, Duration fallback) {
    if (s.get(setting).isEmpty()) {
      return fallback;
    }
    try {
      Duration d = Durations.parse(s.get(setting).get());
      if (d.isZero() || d.isNegative()) {
        throw s.invalid(setting, "must be longer than zero");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw s.invalid(setting, e.getMessage());
    }
  }
}
