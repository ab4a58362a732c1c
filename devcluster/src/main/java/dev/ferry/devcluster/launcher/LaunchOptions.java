package dev.ferry.devcluster.launcher;

import dev.ferry.devcluster.DevclusterConfig;
import dev.ferry.devcluster.nodes.NodeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code ./ferry up} starts and where: the nodes, every port, the state directory, the pool
 * names and the ferryctl context. The defaults are the ones docs/operations.md lists, so scripts
 * can rely on them.
 *
 * @param home the repository (FERRY_HOME), whose modules' {@code target/} hold the build
 * @param stateDir everything the cluster writes: logs, pids, data, pools' files, secrets
 * @param zookeeper an external ensemble's connect string; empty to run one in-process
 * @param poolPrefix pools are named {@code <prefix>-<node>}
 * @param ferryctlConfig the ferryctl config file that gets the context {@code context}
 * @param plainHttp no TLS anywhere (the Ferry API, the agents, etcd): only when asked for by
 *     {@code --plain-http}; by default {@code up} makes a cluster CA and everything speaks TLS
 */
public record LaunchOptions(Path home, Path stateDir, List<NodeSpec> nodes, boolean simulateTasks,
    int schedulerPort, int controllerPort, int agentPort, int etcdPort, int etcdPeerPort, int zookeeperPort,
    Optional<String> zookeeper, String poolPrefix, long poolSizeBytes, String context, Path ferryctlConfig,
    boolean plainHttp) {

  public static final String USAGE = """
      usage: ./ferry up [--nodes N | --node NAME=ADDRESS[:KEY=VALUE,...]...] [--simulate-tasks]
                        [--scheduler-port 8080] [--controller-port 7070] [--agent-port 7071]
                        [--etcd-port 2379] [--etcd-peer-port 2380]
                        [--zookeeper-port 2181 | --zookeeper HOST:PORT[,HOST:PORT...]]
                        [--pool-prefix ferry] [--pool-size 2G] [--context devcluster]
                        [--ferryctl-config FILE] [--state-dir DIR] [--plain-http]
             ./ferry status [--state-dir DIR]
             ./ferry down [--state-dir DIR]

        --nodes N         N nodes: nodeI on 127.0.1.I, disk:spinning when I is odd, disk:ssd when even
                          (the default is 2: node1 spinning on 127.0.1.1, node2 ssd on 127.0.1.2)
        --node SPEC       one node (repeatable), as devcluster reads it: node3=127.0.1.3:disk=ssd,rack=a;
                          keys cpus, mem and ports=31000-31999 set resources, any other is an attribute
        --simulate-tasks  the scheduler's tasks go RUNNING without a process (scale benchmarks)
        --zookeeper       use this ensemble instead of starting one
        --pool-prefix     each node's pool is PREFIX-NODE, backed by a sparse file of --pool-size
        --context         the ferryctl context written to --ferryctl-config
                          (default $FERRY_CONFIG, else ~/.ferry/config)
        --state-dir       where logs, pids, data and secrets live (default $FERRY_STATE_DIR, else .ferry/)
        --plain-http      no TLS: the API, the agents and etcd speak plain HTTP and etcd takes any
                          client (by default up makes a cluster CA in secrets/tls/, the API serves
                          HTTPS, agents use mutual TLS and etcd wants a client certificate)
      """;

  static final int MAX_NODES = 30;
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern POOL_PREFIX = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.-]{0,40}");
  private static final Pattern HOST_PORTS = Pattern.compile("[A-Za-z0-9.-]+:\\d+(,[A-Za-z0-9.-]+:\\d+)*(/[A-Za-z0-9/_-]*)?");

  public LaunchOptions {
    nodes = List.copyOf(nodes);
  }

  /** The pool of {@code node}. */
  public String poolOf(NodeSpec node) {
    return poolPrefix + "-" + node.name();
  }

  /** {@code host:port} of the in-process ZooKeeper, or the external ensemble. */
  public String zookeeperConnect() {
    return zookeeper.orElse("127.0.0.1:" + zookeeperPort);
  }

  /**
   * Parses the options of {@code up} (and the {@code --state-dir} of {@code down} and
   * {@code status}); throws {@link IllegalArgumentException} saying what is wrong.
   */
  public static LaunchOptions parse(List<String> args, Map<String, String> env) {
    Path home = Path.of(env.getOrDefault("FERRY_HOME", ".")).toAbsolutePath().normalize();
    Path stateDir = Optional.ofNullable(env.get("FERRY_STATE_DIR")).filter(s -> !s.isBlank())
        .map(Path::of).orElse(home.resolve(".ferry"));
    Path ferryctlConfig = Optional.ofNullable(env.get("FERRY_CONFIG")).filter(s -> !s.isBlank())
        .map(Path::of).orElse(Path.of(System.getProperty("user.home"), ".ferry", "config"));
    List<NodeSpec> nodes = new ArrayList<>();
    int nodeCount = -1;
    boolean simulate = false;
    boolean plainHttp = false;
    Map<String, Integer> ports = new LinkedHashMap<>(Map.of(
        "--scheduler-port", 8080, "--controller-port", 7070, "--agent-port", 7071,
        "--etcd-port", 2379, "--etcd-peer-port", 2380, "--zookeeper-port", 2181));
    Optional<String> zookeeper = Optional.empty();
    String poolPrefix = "ferry";
    long poolSize = 2L << 30;
    String context = "devcluster";
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--nodes" -> nodeCount = parseInt(value(args, ++i, arg), arg);
        case "--node" -> {
          String spec = value(args, ++i, arg);
          nodes.add(NodeSpec.parse(spec, DevclusterConfig.defaultPorts(nodes.size())));
        }
        case "--simulate-tasks" -> simulate = true;
        case "--plain-http" -> plainHttp = true;
        case "--scheduler-port", "--controller-port", "--agent-port", "--etcd-port", "--etcd-peer-port",
            "--zookeeper-port" -> ports.put(arg, port(value(args, ++i, arg), arg));
        case "--zookeeper" -> {
          String connect = value(args, ++i, arg);
          if (!HOST_PORTS.matcher(connect).matches()) {
            throw new IllegalArgumentException("--zookeeper wants HOST:PORT[,HOST:PORT...], got '" + connect + "'");
          }
          zookeeper = Optional.of(connect);
        }
        case "--pool-prefix" -> poolPrefix = value(args, ++i, arg);
        case "--pool-size" -> poolSize = bytes(value(args, ++i, arg));
        case "--context" -> context = value(args, ++i, arg);
        case "--ferryctl-config" -> ferryctlConfig = Path.of(value(args, ++i, arg));
        case "--state-dir" -> stateDir = Path.of(value(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    if (nodeCount != -1 && !nodes.isEmpty()) {
      throw new IllegalArgumentException("give either --nodes N or --node options, not both");
    }
    if (nodes.isEmpty()) {
      nodes = numberedNodes(nodeCount == -1 ? 2 : nodeCount);
    }
    checkNodes(nodes);
    if (!POOL_PREFIX.matcher(poolPrefix).matches()) {
      throw new IllegalArgumentException("--pool-prefix must start with a letter and hold only letters, digits, '_', '.' or '-', got '" + poolPrefix + "'");
    }
    if (!NAME.matcher(context).matches()) {
      throw new IllegalArgumentException("--context must be a DNS-1123 label (a-z, 0-9, '-'), got '" + context + "'");
    }
    if (poolSize < (64L << 20)) {
      throw new IllegalArgumentException("--pool-size must be at least 64M (zfs-fuse refuses smaller vdevs)");
    }
    return new LaunchOptions(home, stateDir.toAbsolutePath().normalize(), nodes, simulate,
        ports.get("--scheduler-port"), ports.get("--controller-port"), ports.get("--agent-port"),
        ports.get("--etcd-port"), ports.get("--etcd-peer-port"), ports.get("--zookeeper-port"),
        zookeeper, poolPrefix, poolSize, context, ferryctlConfig.toAbsolutePath().normalize(), plainHttp);
  }

  /** node1..nodeN on 127.0.1.1..N, alternating spinning and ssd disks: the seed's pair when N is 2. */
  static List<NodeSpec> numberedNodes(int count) {
    if (count < 1 || count > MAX_NODES) {
      throw new IllegalArgumentException("--nodes must be between 1 and " + MAX_NODES + ", got " + count);
    }
    List<NodeSpec> nodes = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String disk = i % 2 == 1 ? "spinning" : "ssd";
      nodes.add(new NodeSpec("node" + i, "127.0.1." + i, Map.of("disk", disk), NodeSpec.DEFAULT_CPUS,
          NodeSpec.DEFAULT_MEM, DevclusterConfig.defaultPorts(i - 1)));
    }
    return nodes;
  }

  private static void checkNodes(List<NodeSpec> nodes) {
    if (nodes.size() > MAX_NODES) {
      throw new IllegalArgumentException("at most " + MAX_NODES + " nodes, got " + nodes.size());
    }
    Set<String> names = new HashSet<>();
    Set<String> addresses = new HashSet<>();
    for (NodeSpec node : nodes) {
      if (!NAME.matcher(node.name()).matches() || node.name().length() > 63) {
        throw new IllegalArgumentException("node name '" + node.name() + "' must be a DNS-1123 label (a-z, 0-9, '-')");
      }
      if (!node.address().matches("127(\\.\\d{1,3}){3}") || !validIpv4(node.address())) {
        throw new IllegalArgumentException("node " + node.name() + ": address must be a loopback IPv4 address such as 127.0.1.3, got '" + node.address() + "'");
      }
      if (!names.add(node.name())) {
        throw new IllegalArgumentException("node " + node.name() + " is given twice");
      }
      if (!addresses.add(node.address())) {
        throw new IllegalArgumentException("two nodes share the address " + node.address() + ": each node needs its own");
      }
    }
  }

  private static boolean validIpv4(String address) {
    for (String part : address.split("\\.")) {
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static long bytes(String text) {
    String t = text.strip().toUpperCase(java.util.Locale.ROOT);
    long unit = 1;
    if (t.endsWith("G")) {
      unit = 1L << 30;
    } else if (t.endsWith("M")) {
      unit = 1L << 20;
    }
    String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
    try {
      return Math.multiplyExact(Long.parseLong(digits), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("--pool-size wants bytes or a size such as 512M or 2G, got '" + text + "'");
    }
  }

  private static int port(String text, String option) {
    int port = parseInt(text, option);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(option + " must be a port between 1 and 65535, got " + port);
    }
    return port;
  }

  private static int parseInt(String text, String option) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " wants a number, got '" + text + "'");
    }
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(i);
  }
}
