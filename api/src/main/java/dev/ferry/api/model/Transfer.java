package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The round of a migration that is asked for or under way: the controller writes it with
 * {@code state: Requested}; the source agent takes the snapshot (after setting the dataset
 * read-only when {@code fence} is set), streams it to the target, and reports progress and the
 * outcome in the same object. See docs/migration-protocol.md.
 *
 * @param round 0 for the full copy, then 1, 2, ... for the incremental rounds
 * @param attempt 1 for the first request of a round, counting up as the controller retries it
 * @param snapshot the snapshot's short name, chosen by the controller so a retry reuses it
 * @param fence set the source read-only before the snapshot (the final round)
 * @param ticket the controller's signed permission for this stream, checked by the target; the agents
 *     read it from etcd, and the API never shows it
 * @param bytes bytes streamed so far (or in all, once finished)
 * @param bytesPerSecond the rate over the last second while running; once succeeded, the stream's
 *     average rate (0 when nothing was streamed), from which the controller predicts how long the
 *     final round will take
 * @param guid the snapshot's guid, once taken
 * @param baseGuid the common snapshot the stream was sent from, empty for a full stream
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Transfer(
    int round,
    int attempt,
    String snapshot,
    boolean fence,
    String ticket,
    TransferState state,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long bytes,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long bytesPerSecond,
    String guid,
    String baseGuid,
    String message,
    Instant updated) {

  public Transfer {
    attempt = Math.max(attempt, 1);
    snapshot = snapshot == null ? "" : snapshot;
    ticket = ticket == null ? "" : ticket;
    state = state == null ? TransferState.Requested : state;
    guid = guid == null ? "" : guid;
    baseGuid = baseGuid == null ? "" : baseGuid;
    message = message == null ? "" : message;
  }

  /**
   * Whether {@code other} is the same request: the same round, snapshot and ticket. A request
   * the controller wrote again (a new ticket for a retry) is a different one, and what an agent
   * learnt about the old one must not be written over it.
   */
  public boolean sameRequest(Transfer other) {
    return round == other.round && snapshot.equals(other.snapshot) && ticket.equals(other.ticket);
  }

  /** A new request from the controller. */
  public static Transfer request(int round, String snapshot, boolean fence, String ticket, Instant now) {
    return request(round, 1, snapshot, fence, ticket, now);
  }

  /** A request from the controller, {@code attempt} counting its retries of the round. */
  public static Transfer request(int round, int attempt, String snapshot, boolean fence, String ticket, Instant now) {
    return new Transfer(round, attempt, snapshot, fence, ticket, TransferState.Requested, 0, 0, "", "", "", now);
  }

  public Transfer running(long bytesSoFar, long rate, Instant now) {
    return new Transfer(round, attempt, snapshot, fence, ticket, TransferState.Running, bytesSoFar, rate, guid, baseGuid, "", now);
  }

  public Transfer succeeded(long totalBytes, String snapshotGuid, String fromGuid, Instant now) {
    return succeeded(totalBytes, snapshotGuid, fromGuid, 0, now);
  }

  /** Succeeded, with the stream's average rate. */
  public Transfer succeeded(long totalBytes, String snapshotGuid, String fromGuid, long averageBytesPerSecond,
      Instant now) {
    return new Transfer(round, attempt, snapshot, fence, ticket, TransferState.Succeeded, totalBytes,
        averageBytesPerSecond, snapshotGuid, fromGuid, "", now);
  }

  public Transfer failed(String why, Instant now) {
    return new Transfer(round, attempt, snapshot, fence, ticket, TransferState.Failed, bytes, 0, guid, baseGuid, why, now);
  }
}
