package dev.ferry.api.transfer;

import dev.ferry.api.validation.Names;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The controller's permission for one stream of one dataset from one node to another, in one
 * round of one migration. Signed with a key derived from the {@link ClusterKey} (HMAC-SHA256 over
 * every field); checked and consumed by the receiving agent.
 *
 * <p>A ticket is a grant, not a credential: it is stored in the Migration's status, which the
 * agents read, so it is not secret. A stream is admitted only when the sender also proves that it
 * holds the cluster key ({@link AgentRequest}, which covers the ticket) and is the ticket's
 * {@code fromNode}.
 *
 * <p>The controller issues a ticket before the source takes the snapshot, so the ticket names
 * the snapshot rather than carrying its guid: the receiver checks that the snapshot it holds
 * after the receive has this name, and the sender checks that its guid is the source's.
 *
 * @param migrationUid the uid of the Migration the stream belongs to
 * @param round the migration's round the stream is
 * @param dataset the dataset the stream belongs to
 * @param fromNode the sending node
 * @param toNode the receiving node, the only one that admits the ticket
 * @param baseGuid the guid of the snapshot an incremental starts from; empty for a full stream
 * @param snapshot the short name of the snapshot the stream ends at (a DNS-1123 label): the
 *     receiver checks that this is what it holds afterwards
 * @param expiresAt after this instant the ticket is refused
 * @param nonce random, makes each ticket single-use
 */
public record TransferTicket(
    String migrationUid, int round, String dataset, String fromNode, String toNode, String baseGuid, String snapshot, Instant expiresAt, String nonce) {

  /**
   * The first line of the signed text, and the name of the key it is signed with; v1 carried the
   * snapshot's guid where v2 has its name, v3 adds the migration's uid and round.
   */
  private static final String FORMAT = "ferry-transfer-v3";
  private static final Pattern UID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern GUID = Pattern.compile("[0-9]{1,20}");
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Validates every field, so that a ticket's canonical form is unambiguous. */
  public TransferTicket {
    if (!UID.matcher(migrationUid).matches()) {
      throw new IllegalArgumentException("migration uid '" + migrationUid + "' is not a uid");
    }
    if (round < 0) {
      throw new IllegalArgumentException("round " + round + " is negative");
    }
    requireLabel("dataset", dataset);
    requireLabel("from node", fromNode);
    requireLabel("to node", toNode);
    requireLabel("snapshot", snapshot);
    if (!baseGuid.isEmpty() && !GUID.matcher(baseGuid).matches()) {
      throw new IllegalArgumentException("base guid '" + baseGuid + "' is not a ZFS guid");
    }
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (!NONCE.matcher(nonce).matches()) {
      throw new IllegalArgumentException("nonce must be 16 to 64 base64url characters");
    }
  }

  /** A new ticket with a random nonce, valid for {@code ttl} from now. */
  public static TransferTicket issue(String migrationUid, int round,
      String dataset, String fromNode, String toNode, String baseGuid, String snapshot, Duration ttl, Clock clock) {
    byte[] nonce = new byte[18];
    RANDOM.nextBytes(nonce);
    return new TransferTicket(migrationUid, round, dataset, fromNode, toNode, baseGuid, snapshot,
        clock.instant().plus(ttl), B64.encodeToString(nonce));
  }

  /** Whether the stream is incremental (has a base snapshot). */
  public boolean incremental() {
    return !baseGuid.isEmpty();
  }

  /** The signed, URL- and header-safe form: {@code base64url(fields).base64url(hmac)}. */
  public String encode(ClusterKey key) {
    byte[] payload = canonical().getBytes(StandardCharsets.UTF_8);
    return B64.encodeToString(payload) + "." + B64.encodeToString(key.derive(FORMAT).mac(payload));
  }

  /**
   * Reads a ticket and checks its signature (not its expiry or use: see {@link TicketVerifier}).
   *
   * @throws TicketRejectedException when it is malformed or not signed with {@code key}
   */
  public static TransferTicket decode(String token, ClusterKey key) {
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      throw new TicketRejectedException("malformed transfer ticket");
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = B64D.decode(token.substring(0, dot));
      signature = B64D.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw new TicketRejectedException("malformed transfer ticket");
    }
    // Constant-time comparison: a timing difference would let a forger learn the MAC byte by byte.
    if (!MessageDigest.isEqual(key.derive(FORMAT).mac(payload), signature)) {
      throw new TicketRejectedException("transfer ticket signature invalid: not issued with this cluster's key");
    }
    List<String> f = List.of(new String(payload, StandardCharsets.UTF_8).split("\n", -1));
    try {
      if (f.size() != 10 || !f.get(0).equals(FORMAT)) {
        throw new TicketRejectedException("unsupported transfer ticket format");
      }
      return new TransferTicket(f.get(1), Integer.parseInt(f.get(2)), f.get(3), f.get(4), f.get(5), f.get(6), f.get(7),
          Instant.ofEpochMilli(Long.parseLong(f.get(8))), f.get(9));
    } catch (IllegalArgumentException e) {
      throw new TicketRejectedException("malformed transfer ticket: " + e.getMessage());
    }
  }

  private static void requireLabel(String what, String value) {
    Names.checkDnsLabel(value).ifPresent(problem -> {
      throw new IllegalArgumentException(what + " name " + problem);
    });
  }

  /** One field per line, every field validated to hold no newline; versioned for future fields. */
  private String canonical() {
    return String.join("\n", FORMAT, migrationUid, Integer.toString(round), dataset, fromNode, toNode, baseGuid, snapshot,
        Long.toString(expiresAt.toEpochMilli()), nonce);
  }
}
