package dev.ferry.devcluster;

import dev.ferry.devcluster.nodes.NodeSpec;
import dev.ferry.devcluster.nodes.PortRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to run devcluster: where the API listens, the nodes, where state and sandboxes live, and
 * whether tasks are simulated.
 */
public record DevclusterConfig(String host, int port, List<NodeSpec> nodes, Path stateDir, boolean simulateTasks) {

  public static final String USAGE = """
      usage: devcluster [--host 127.0.0.1] [--port 8080] [--state-dir DIR] [--simulate-tasks]
                        [--node NAME=ADDRESS[:KEY=VALUE[,KEY=VALUE...]]]...
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
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--host" -> host = value(args, ++i, arg);
        case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
        case "--state-dir" -> stateDir = Path.of(value(args, ++i, arg));
        case "--simulate-tasks" -> simulate = true;
        case "--node" -> nodes.add(NodeSpec.parse(value(args, ++i, arg), defaultPorts(nodes.size())));
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return new DevclusterConfig(host, port, nodes.isEmpty() ? seedNodes() : nodes, stateDir.toAbsolutePath(), simulate);
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
