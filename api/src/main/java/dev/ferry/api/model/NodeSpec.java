package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * What a node agent says of its node.
 *
 * @param hostname the Mesos agent's hostname, what Marathon's {@code hostname} constraint matches
 * @param address the address other agents reach this node's transfer server on
 * @param transferPort the transfer server's port
 * @param attributes the Mesos agent attributes ({@code disk: ssd})
 * @param pool the ZFS pool the node's datasets live in
 * @param agentVersion the agent's version
 */
public record NodeSpec(
    String hostname,
    String address,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int transferPort,
    Map<String, String> attributes,
    String pool,
    String agentVersion) {

  public static final int DEFAULT_TRANSFER_PORT = 7071;

  public NodeSpec {
    hostname = hostname == null ? "" : hostname;
    address = address == null ? "" : address;
    transferPort = transferPort == 0 ? DEFAULT_TRANSFER_PORT : transferPort;
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    pool = pool == null ? "" : pool;
    agentVersion = agentVersion == null ? "" : agentVersion;
  }
}
