package dev.ferry.api.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A node agent's identity is its certificate: the cluster CA issues each agent {@code
 * CN=agent-<node>} ({@code ./ferry up}'s ClusterCertificates, vagrant's provision-node.sh), so a
 * peer that presents a certificate can act only as the node it names, whatever else it holds.
 */
public final class AgentIdentity {

  private static final String PREFIX = "agent-";

  private AgentIdentity() {}

  /** The common name of {@code node}'s agent certificate. */
  public static String commonName(String node) {
    return PREFIX + node;
  }

  /** The node a peer's certificate chain (leaf first) names, empty when it is no agent's certificate. */
  public static Optional<String> node(List<? extends Certificate> chain) {
    if (chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
      return Optional.empty();
    }
    return commonNameOf(leaf).filter(cn -> cn.startsWith(PREFIX) && cn.length() > PREFIX.length())
        .map(cn -> cn.substring(PREFIX.length()));
  }

  /** The subject's common name, as the certificate's subject says it (empty without one). */
  public static Optional<String> commonNameOf(X509Certificate certificate) {
    try {
      List<Rdn> rdns = new LdapName(certificate.getSubjectX500Principal().getName()).getRdns();
      return rdns.stream().filter(r -> r.getType().equalsIgnoreCase("CN")).map(r -> r.getValue().toString())
          .reduce((first, last) -> last);
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }
}
