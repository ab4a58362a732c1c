package dev.ferry.agent.transfer;

import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.api.transfer.TicketRejectedException;
import dev.ferry.api.transfer.TransferTicket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admits a transfer ticket on the receiving node: signed with the cluster key, addressed to this
 * node and dataset, not expired, and not used before. Each admitted ticket is consumed: its nonce
 * is remembered until the ticket expires (after that the expiry check refuses it anyway), so a
 * captured request cannot be replayed. Thread-safe.
 */
public final class TicketVerifier {

  /** Tickets valid for longer are refused, which bounds how long nonces must be remembered. */
  public static final Duration MAX_TTL = Duration.ofHours(1);

  private final ClusterKey key;
  private final String node;
  private final Clock clock;
  private final Map<String, Instant> usedNonces = new ConcurrentHashMap<>();

  public TicketVerifier(ClusterKey key, String node, Clock clock) {
    this.key = key;
    this.node = node;
    this.clock = clock;
  }

  /**
   * Checks {@code token} for a stream into {@code dataset} and consumes it.
   *
   * @return the admitted ticket
   * @throws TicketRejectedException saying why it was refused
   */
  public TransferTicket admit(String token, String dataset) {
    TransferTicket ticket = TransferTicket.decode(token, key);
    Instant now = clock.instant();
    if (!ticket.toNode().equals(node)) {
      throw new TicketRejectedException("transfer ticket is for node " + ticket.toNode() + ", this is " + node);
    }
    if (!ticket.dataset().equals(dataset)) {
      throw new TicketRejectedException("transfer ticket is for dataset " + ticket.dataset() + ", not " + dataset);
    }
    if (!now.isBefore(ticket.expiresAt())) {
      throw new TicketRejectedException("transfer ticket expired at " + ticket.expiresAt());
    }
    if (ticket.expiresAt().isAfter(now.plus(MAX_TTL))) {
      throw new TicketRejectedException("transfer ticket valid until " + ticket.expiresAt()
          + ", longer than the allowed " + MAX_TTL);
    }
    usedNonces.values().removeIf(expiry -> !now.isBefore(expiry));
    if (usedNonces.putIfAbsent(ticket.nonce(), ticket.expiresAt()) != null) {
      throw new TicketRejectedException("transfer ticket already used");
    }
    return ticket;
  }
}
