package dev.ferry.api.transfer;

import dev.ferry.api.validation.Names;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The credential every request to a node agent carries, made by one holder of the {@link
 * ClusterKey} (an agent) for another:
 * {@code Authorization: Ferry-Agent <caller>.<callee>.<epoch millis>.<mac>}, the MAC being
 * HMAC-SHA256, under a key derived from the cluster key, over the method, the path, both node
 * names, the time and the transfer ticket the request carries (empty when none).
 *
 * <p>So a request is accepted only from someone who holds the cluster key, only by the node it
 * was made for, only for the route and ticket it was made for, and only within {@link #MAX_SKEW}
 * of the receiver's clock. A captured request can be replayed within that window to the same
 * route: harmless for a read, and a transfer also needs its ticket, which is single-use.
 * Thread-safe.
 */
public final class AgentRequest {

  public static final String SCHEME = "Ferry-Agent ";
  /** How far the caller's clock may be from the receiver's, either way. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(2);
  private static final String PURPOSE = "ferry-agent-request-v1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final ClusterKey key;
  private final String node;
  private final Clock clock;

  /**
   * @param clusterKey the cluster key
   * @param node this node's name: the caller of the requests it signs, the callee of those it verifies
   */
  public AgentRequest(ClusterKey clusterKey, String node, Clock clock) {
    this.key = clusterKey.derive(PURPOSE);
    this.node = node;
    this.clock = clock;
  }

  /** The {@code Authorization} header for a request from this node to {@code callee}. */
  public String sign(String callee, String method, String path, String ticket) {
    long millis = clock.millis();
    return SCHEME + node + "." + callee + "." + millis + "."
        + B64.encodeToString(mac(node, callee, millis, method, path, ticket));
  }

  /**
   * Checks a request's {@code Authorization} header.
   *
   * @param header the header's value, empty when the request had none
   * @return the caller's node name
   * @throws UnauthenticatedException saying why the request is refused
   */
  public String verify(String header, String method, String path, String ticket) {
    if (header.isEmpty()) {
      throw new UnauthenticatedException("a node agent answers only the other agents: this request has no "
          + "Authorization: " + SCHEME.strip() + " credential");
    }
    if (!header.startsWith(SCHEME)) {
      throw new UnauthenticatedException("the Authorization scheme must be " + SCHEME.strip());
    }
    String[] parts = header.substring(SCHEME.length()).strip().split("\\.", -1);
    if (parts.length != 4 || Names.checkDnsLabel(parts[0]).isPresent() || Names.checkDnsLabel(parts[1]).isPresent()) {
      throw new UnauthenticatedException("malformed " + SCHEME.strip() + " credential");
    }
    long millis;
    byte[] mac;
    try {
      millis = Long.parseLong(parts[2]);
      mac = B64D.decode(parts[3]);
    } catch (IllegalArgumentException e) {
      throw new UnauthenticatedException("malformed " + SCHEME.strip() + " credential");
    }
    // Constant-time comparison: a timing difference would let a forger learn the MAC byte by byte.
    if (!MessageDigest.isEqual(mac(parts[0], parts[1], millis, method, path, ticket), mac)) {
      throw new UnauthenticatedException("the request's credential is not signed with this cluster's key"
          + " (or not for this method, path and ticket)");
    }
    if (!parts[1].equals(node)) {
      throw new UnauthenticatedException("the request was signed for node " + parts[1] + ", this is " + node);
    }
    Instant at = Instant.ofEpochMilli(millis);
    Instant now = clock.instant();
    if (at.isBefore(now.minus(MAX_SKEW)) || at.isAfter(now.plus(MAX_SKEW))) {
      throw new UnauthenticatedException("the request was signed at " + at + ", more than " + MAX_SKEW
          + " from this node's clock (" + now + "): a replay, or the clocks disagree");
    }
    return parts[0];
  }

  private byte[] mac(String caller, String callee, long millis, String method, String path, String ticket) {
    String text = String.join("\n", PURPOSE, caller, callee, Long.toString(millis), method, path, ticket);
    return key.mac(text.getBytes(StandardCharsets.UTF_8));
  }
}
