package dev.ferry.devcluster.nodes;

import dev.ferry.api.placement.NodeOffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One node of the one-machine cluster: a name (its Mesos hostname), its own loopback address,
 * agent attributes and the resources its tasks may use.
 */
public record NodeSpec(String name, String address, Map<String, String> attributes,
    double cpus, double mem, PortRange ports) {

  public static final double DEFAULT_CPUS = 8;
  public static final double DEFAULT_MEM = 8192;

  public NodeSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    attributes = Map.copyOf(attributes);
  }

  /**
   * Parses {@code NAME=ADDRESS[:KEY=VALUE[,KEY=VALUE...]]}, e.g.
   * {@code node1=127.0.1.1:disk=spinning,rack=a}. The keys {@code cpus}, {@code mem} and
   * {@code ports} ({@code 31000-32000}) set resources; every other key is an attribute. A node
   * without {@code ports} gets {@code defaultPorts}.
   */
  public static NodeSpec parse(String text, PortRange defaultPorts) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("a node looks like node1=127.0.1.1:disk=ssd, got '" + text + "'");
    }
    String name = text.substring(0, eq);
    String[] rest = text.substring(eq + 1).split(":", 2);
    Map<String, String> attributes = new LinkedHashMap<>();
    double cpus = DEFAULT_CPUS;
    double mem = DEFAULT_MEM;
    PortRange ports = defaultPorts;
    if (rest.length == 2 && !rest[1].isBlank()) {
      for (String pair : rest[1].split("[,;]")) {
        String[] kv = pair.split("[=:]", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("node attribute must be KEY=VALUE, got '" + pair + "' in '" + text + "'");
        }
        switch (kv[0]) {
          case "cpus" -> cpus = Double.parseDouble(kv[1]);
          case "mem" -> mem = Double.parseDouble(kv[1]);
          case "ports" -> ports = PortRange.parse(kv[1]);
          default -> attributes.put(kv[0], kv[1]);
        }
      }
    }
    return new NodeSpec(name, rest[0], attributes, cpus, mem, ports);
  }

  /** What constraint matching sees of this node. */
  public NodeOffer offer() {
    return NodeOffer.of(name, attributes);
  }
}
