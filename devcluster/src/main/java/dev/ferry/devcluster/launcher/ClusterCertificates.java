package dev.ferry.devcluster.launcher;

import dev.ferry.api.tls.AgentIdentity;
import dev.ferry.api.tls.ClusterCa;
import dev.ferry.devcluster.nodes.NodeSpec;
import java.util.List;

/**
 * The cluster CA {@code up} makes, and a certificate from it for each component (in
 * {@link StateDir#tlsDir()}, mode 600): {@code etcd} and {@code controller} for 127.0.0.1 and
 * localhost, {@code agent-NODE} for the node's address, and {@code admin}, a client certificate
 * for an operator's etcdctl (and the tests) since etcd takes no client without one. Every
 * {@code up} makes a new CA: nothing of an earlier cluster is trusted.
 */
final class ClusterCertificates {

  static final String ETCD = "etcd";
  static final String CONTROLLER = "controller";
  static final String ADMIN = "admin";

  private ClusterCertificates() {}

  static void create(StateDir dir, List<NodeSpec> nodes) {
    ClusterCa ca = ClusterCa.create("Ferry cluster CA (" + dir.root() + ")");
    ca.writeTo(dir.tlsDir());
    ca.issue(ETCD, List.of("127.0.0.1", "localhost"), dir.tlsDir());
    ca.issue(CONTROLLER, List.of("127.0.0.1", "localhost"), dir.tlsDir());
    for (NodeSpec node : nodes) {
      ca.issue(agent(node), List.of(node.address()), dir.tlsDir());
    }
    ca.issue(ADMIN, List.of(), dir.tlsDir());
  }

  static String agent(NodeSpec node) {
    return AgentIdentity.commonName(node.name());
  }
}
