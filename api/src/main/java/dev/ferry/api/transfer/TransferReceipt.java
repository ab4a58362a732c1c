package dev.ferry.api.transfer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The receiving agent's signed statement that it holds the snapshot a ticket names, with a given
 * guid: HMAC-SHA256, under a key derived from the cluster key, over the ticket's migration uid,
 * round, dataset, nodes, snapshot and nonce, and the guid. The sender reports a round done only
 * on a receipt it verified naming the guid it sent: never on a guid a target merely lists.
 */
public final class TransferReceipt {

  private static final String PURPOSE = "ferry-transfer-receipt-v1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private TransferReceipt() {}

  /** The receipt for {@code ticket}'s snapshot, held with {@code guid}. */
  public static String sign(ClusterKey key, TransferTicket ticket, String guid) {
    return B64.encodeToString(mac(key, ticket, guid));
  }

  /** Whether {@code receipt} is the receiving node's receipt for {@code ticket}'s snapshot with {@code guid}. */
  public static boolean verify(ClusterKey key, TransferTicket ticket, String guid, String receipt) {
    byte[] given;
    try {
      given = B64D.decode(receipt);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(key, ticket, guid), given);
  }

  private static byte[] mac(ClusterKey key, TransferTicket ticket, String guid) {
    String text = String.join("\n", PURPOSE, ticket.migrationUid(), Integer.toString(ticket.round()), ticket.dataset(),
        ticket.fromNode(), ticket.toNode(), ticket.snapshot(), ticket.nonce(), guid);
    return key.derive(PURPOSE).mac(text.getBytes(StandardCharsets.UTF_8));
  }
}
