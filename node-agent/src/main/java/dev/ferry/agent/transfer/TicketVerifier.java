package dev.ferry.agent.transfer;

import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.api.transfer.TicketRejectedException;
import dev.ferry.api.transfer.TransferReceipt;
import dev.ferry.api.transfer.TransferTicket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Admits a transfer ticket on the receiving node: signed with the cluster key, addressed to this
 * node and dataset, sent by the node it names as the sender, not expired, and not used before.
 * Each admitted ticket is consumed: its nonce is remembered ({@link UsedNonces}, across restarts)
 * until the ticket expires (after that the expiry check refuses it anyway), so a captured request
 * cannot be replayed. Thread-safe; {@link #admit} blocks (it writes the nonce to disk).
 */
public final class TicketVerifier {

  /** Tickets valid for longer are refused, which bounds how long nonces must be remembered. */
  public static final Duration MAX_TTL = Duration.ofHours(1);

  private final ClusterKey key;
  private final String node;
  private final Clock clock;
  private final UsedNonces used;

  public TicketVerifier(ClusterKey key, String node, Clock clock, UsedNonces used) {
    this.key = key;
    this.node = node;
    this.clock = clock;
    this.used = used;
  }

  /**
   * Checks {@code token} for a stream into {@code dataset} from {@code caller} and consumes it.
   * Blocking.
   *
   * @param caller the sending node, as its request's credential proved
   * @return the admitted ticket
   * @throws TicketRejectedException saying why it was refused
   */
  public TransferTicket admit(String token, String dataset, String caller) {
    TransferTicket ticket = check(token, dataset);
    if (!ticket.fromNode().equals(caller)) {
      throw new TicketRejectedException("transfer ticket is for a stream from node " + ticket.fromNode()
          + ", but node " + caller + " sent it");
    }
    if (!used.use(ticket.nonce(), ticket.expiresAt())) {
      throw new TicketRejectedException("transfer ticket already used");
    }
    return ticket;
  }

  /** This node's receipt for holding {@code ticket}'s snapshot with {@code guid} ({@link TransferReceipt}). */
  public String receipt(TransferTicket ticket, String guid) {
    return TransferReceipt.sign(key, ticket, guid);
  }

  /**
   * Checks {@code token} as {@link #admit} does, without consuming it or looking at its sender.
   *
   * @throws TicketRejectedException saying why it was refused
   */
  public TransferTicket check(String token, String dataset) {
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
    return ticket;
  }
}
