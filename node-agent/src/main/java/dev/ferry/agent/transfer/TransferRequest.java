package dev.ferry.agent.transfer;

import dev.ferry.agent.zfs.DatasetName;
import java.util.Optional;

/**
 * One stream to send: which snapshot of which dataset, from which base, to which node, under
 * which ticket.
 *
 * @param host the receiving node's transfer address
 * @param port its transfer port
 * @param ticket the encoded ticket the controller issued for exactly this stream
 * @param base the source's name of the common snapshot, empty for a full stream
 * @param snapshot the source's name of the snapshot to send
 * @param fenced the cut-over's final round, sent while the app is down: exempt from waiting for
 *     the node's {@link TransferCap} (its bytes still count against it)
 * @param resumeToken the target's {@code receive_resume_token} this stream continues ({@code zfs
 *     send -t}, OpenZFS only), empty for the whole stream
 */
public record TransferRequest(String host, int port, String ticket, DatasetName dataset, Optional<String> base,
    String snapshot, boolean fenced, Optional<String> resumeToken) {

  /** The whole stream, capped unless {@code fenced}. */
  public TransferRequest(String host, int port, String ticket, DatasetName dataset, Optional<String> base,
      String snapshot, boolean fenced) {
    this(host, port, ticket, dataset, base, snapshot, fenced, Optional.empty());
  }

  /** A round sent while the app runs, paced by the node's cap. */
  public TransferRequest(String host, int port, String ticket, DatasetName dataset, Optional<String> base,
      String snapshot) {
    this(host, port, ticket, dataset, base, snapshot, false);
  }
}
