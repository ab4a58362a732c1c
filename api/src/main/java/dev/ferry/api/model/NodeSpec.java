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
 * @param datasetRoot where the node mounts its datasets: {@code <datasetRoot>/<dataset>}
 * @param agentVersion the agent's version
 */
public record NodeSpec(
    String hostname,
    String address,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int transferPort,
    Map<String, String> attributes,
    String pool,
    String datasetRoot,
    String agentVersion) {

  public static final int DEFAULT_TRANSFER_PORT = 7071;
  public static final String DEFAULT_DATASET_ROOT = "/var/lib/ferry/datasets";

  public NodeSpec {
    hostname = hostname == null ? "" : hostname;
    address = address == null ? "" : address;
    transferPort = transferPort == 0 ? DEFAULT_TRANSFER_PORT : transferPort;
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    pool = pool == null ? "" : pool;
    datasetRoot = datasetRoot == null || datasetRoot.isEmpty() ? DEFAULT_DATASET_ROOT : datasetRoot;
    agentVersion = agentVersion == null ? "" : agentVersion;
  }

  /** Where this node mounts {@code dataset}. */
  public String datasetPath(String dataset) {
    return datasetRoot + "/" + dataset;
  }

  /** What Marathon's {@code hostname} constraint matches: the hostname, or the node's name. */
  public String hostnameOr(String nodeName) {
    return hostname.isEmpty() ? nodeName : hostname;
  }
}
