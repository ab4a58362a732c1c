package dev.ferry.devcluster;

import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.devcluster.marathon.ApiAccess;
import dev.ferry.devcluster.nodes.NodeSpec;
import dev.ferry.devcluster.nodes.PortRange;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How to run devcluster: where the API listens and who may use it, the nodes, where state and
 * sandboxes live, and whether tasks are simulated.
 */
public record DevclusterConfig(String host, int port, List<NodeSpec> nodes, Path stateDir, boolean simulateTasks,
    ApiAccess access) {

  public static final String USAGE = """
      usage: devcluster [--host 127.0.0.1] [--port 8080] [--state-dir DIR] [--simulate-tasks]
                        [--node NAME=ADDRESS[:KEY=VALUE[,KEY=VALUE...]]]...
                        (--http_credentials_file FILE | --http_credentials USER:PASSWORD | --insecure-no-auth)
                        [--http_realm Mesosphere] [--server-name NAME]...
        --http_credentials_file  a file of one USER:PASSWORD line: Marathon's basic authentication,
                      kept off the command line (which every local user can read)
        --http_credentials  Marathon's own flag, the same with the secret in the command line
        --insecure-no-auth  no authentication: anyone who reaches the port runs commands as this user
        --server-name a name (besides the --host address and localhost) that clients use in the URL;
                      requests naming any other host are refused (DNS rebinding)
        --node        a node (repeatable); keys cpus, mem and ports=31000-32000 set resources,
                      any other key is an agent attribute. Default: the seed's two nodes,
                      node1=127.0.1.1:disk=spinning and node2=127.0.1.2:disk=ssd
        --state-dir   apps, tasks and sandboxes (default ./devcluster-state)
        --simulate-tasks  tasks go RUNNING without a process (controller scale benchmarks)
      """;

  public DevclusterConfig {
    nodes = List.copyOf(nodes);
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("at least one --node is needed");
    }
  }

  /** The defaults (README, "The one-machine cluster"): node1 spinning on 127.0.1.1, node2 ssd on 127.0.1.2, Marathon's port. */
  public static List<NodeSpec> seedNodes() {
    return List.of(
        new NodeSpec("node1", "127.0.1.1", Map.of("disk", "spinning"), NodeSpec.DEFAULT_CPUS, NodeSpec.DEFAULT_MEM, new PortRange(31000, 31999)),
        new NodeSpec("node2", "127.0.1.2", Map.of("disk", "ssd"), NodeSpec.DEFAULT_CPUS, NodeSpec.DEFAULT_MEM, new PortRange(32000, 32999)));
  }

  /** Parses the command line; throws {@link IllegalArgumentException} with what is wrong. */
  public static DevclusterConfig parse(String[] args) {
    String host = "127.0.0.1";
    int port = 8080;
    Path stateDir = Path.of("devcluster-state");
    boolean simulate = false;
    List<NodeSpec> nodes = new ArrayList<>();
    Optional<MarathonCredentials> credentials = Optional.empty();
    boolean noAuth = false;
    String realm = ApiAccess.DEFAULT_REALM;
    List<String> serverNames = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--host" -> host = value(args, ++i, arg);
        case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
        case "--state-dir" -> stateDir = Path.of(value(args, ++i, arg));
        case "--simulate-tasks" -> simulate = true;
        case "--node" -> nodes.add(NodeSpec.parse(value(args, ++i, arg), defaultPorts(nodes.size())));
        case "--http_credentials" -> {
          String text = value(args, ++i, arg);
          credentials = once(credentials, arg, () -> MarathonCredentials.parse(text, arg));
        }
        case "--http_credentials_file" -> {
          Path file = Path.of(value(args, ++i, arg));
          credentials = once(credentials, arg, () -> MarathonCredentials.read(file));
        }
        case "--insecure-no-auth" -> noAuth = true;
        case "--http_realm" -> realm = value(args, ++i, arg);
        case "--server-name" -> serverNames.add(value(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    if (credentials.isPresent() == noAuth) {
      throw new IllegalArgumentException(noAuth
          ? "--insecure-no-auth and --http_credentials(_file) contradict each other"
          : "give --http_credentials_file FILE (or --http_credentials USER:PASSWORD); without them anyone who"
              + " reaches the port runs commands, so that takes an explicit --insecure-no-auth");
    }
    return new DevclusterConfig(host, port, nodes.isEmpty() ? seedNodes() : nodes, stateDir.toAbsolutePath(), simulate,
        new ApiAccess(credentials, realm, serverNames));
  }

  /** The credentials are given once: a second flag would silently win over the first. */
  private static Optional<MarathonCredentials> once(Optional<MarathonCredentials> given, String option,
      Supplier<MarathonCredentials> read) {
    if (given.isPresent()) {
      throw new IllegalArgumentException(option + ": the credentials are already given");
    }
    try {
      return Optional.of(read.get());
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException(e.getMessage() + " (" + e.getCause().getMessage() + ")", e);
    }
  }

  /** Each node gets its own thousand ports, so that tasks on different nodes never collide on the one machine. */
  public static PortRange defaultPorts(int index) {
    int first = 31000 + 1000 * index;
    return new PortRange(first, first + 999);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
