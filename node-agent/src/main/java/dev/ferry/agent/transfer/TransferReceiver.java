package dev.ferry.agent.transfer;

import dev.ferry.api.transfer.TransferTicket;
import dev.ferry.agent.snapshots.SnapshotHolds;
import dev.ferry.agent.zfs.CopyState;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.DatasetState;
import dev.ferry.agent.zfs.StreamingProcess;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsException;
import dev.ferry.api.model.Snapshot;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The ZFS side of receiving one stream: checks that the target may and can take it, prepares the
 * target, starts {@code zfs receive}, and afterwards checks what arrived. Blocking: the transfer
 * server calls it from worker threads.
 *
 * <p>Every refusal happens before {@code zfs receive} starts and leaves the pool as it was. A
 * stream that ends early leaves the target at its last complete snapshot (ZFS receives into a
 * temporary clone), so the same step can be sent again. The snapshot received last is held
 * ({@link SnapshotHolds}) as the base of the next round.
 */
public final class TransferReceiver {

  private final ZfsDriver zfs;
  private final Predicate<DatasetName> primaryHere;
  private final Consumer<DatasetName> afterReceive;
  private final SnapshotHolds holds;

  /**
   * @param primaryHere whether this node is the dataset's primary (from the Dataset object): a
   *     primary's copy is the live data and never the target of a stream
   */
  public TransferReceiver(ZfsDriver zfs, Predicate<DatasetName> primaryHere) {
    this(zfs, primaryHere, dataset -> { });
  }

  /**
   * @param afterReceive told of every dataset a receive ended for, whether it succeeded or not
   *     (the agent reports the copy again)
   */
  public TransferReceiver(ZfsDriver zfs, Predicate<DatasetName> primaryHere, Consumer<DatasetName> afterReceive) {
    this.zfs = zfs;
    this.primaryHere = primaryHere;
    this.afterReceive = afterReceive;
    this.holds = new SnapshotHolds(zfs);
  }

  /**
   * This node's snapshots of {@code dataset}, oldest first, or empty when it has no copy: what a
   * sender plans its stream against.
   */
  public Optional<List<Snapshot>> snapshots(DatasetName dataset) {
    return zfs.exists(dataset) ? Optional.of(zfs.snapshots(dataset)) : Optional.empty();
  }

  /**
   * The {@code receive_resume_token} an interrupted receive into {@code dataset} left, if any
   * (OpenZFS's {@code zfs receive -s}; always empty on zfs-fuse).
   */
  public Optional<String> resumeToken(DatasetName dataset) {
    return zfs.resumeToken(dataset);
  }

  /** {@link #begin(TransferTicket, OptionalLong, Optional)} of a whole stream. */
  public StreamingProcess begin(TransferTicket ticket, OptionalLong expectedBytes) {
    return begin(ticket, expectedBytes, Optional.empty());
  }

  /**
   * Checks the target against the ticket, rolls it back to the ticket's base if it has moved past
   * it, and starts the receive.
   *
   * <p>Where the platform resumes streams (OpenZFS), every receive keeps its partial state when
   * interrupted ({@code zfs receive -s}). A stream that resumes ({@code resume}: the token the
   * sender's {@code zfs send -t} continues) is taken only while this dataset's token is that very
   * one, and continues the receive as it was checked when it began. Any other stream first
   * discards a partial receive ({@code zfs receive -A}): it is progress, never anyone's data.
   *
   * @param expectedBytes the sender's estimate of the stream size, when it has one
   * @param resume the resume token the stream continues, empty for a whole stream
   * @throws TransferRefusedException when the target must not or cannot take this stream
   */
  public StreamingProcess begin(TransferTicket ticket, OptionalLong expectedBytes, Optional<String> resume) {
    DatasetName dataset = DatasetName.of(ticket.dataset());
    if (primaryHere.test(dataset)) {
      throw new TransferRefusedException(409, "TargetIsPrimary", "this node is the primary of dataset "
          + dataset + ": its copy is the live data and does not receive streams");
    }
    Optional<String> partial = zfs.resumeToken(dataset);
    if (resume.isPresent()) {
      return resume(dataset, resume.get(), partial);
    }
    if (partial.isPresent()) {
      zfs.abortPartialReceive(dataset);
    }
    // Read once, state and snapshots: while the app is down, every zfs command is a process and a trip to the daemon.
    Optional<CopyState> copy = zfs.stateAndSnapshots(dataset);
    Optional<DatasetState> seen = copy.map(CopyState::state);
    boolean exists = seen.isPresent();
    if (exists && !seen.get().readonly()) {
      throw new TransferRefusedException(409, "TargetWritable", "the copy of " + dataset
          + " on this node is writable, so it may be in use; only a read-only standby copy receives streams");
    }
    if (ticket.incremental()) {
      prepareIncremental(dataset, copy.map(CopyState::snapshots), ticket.baseGuid());
    } else if (exists) {
      throw new TransferRefusedException(409, "TargetExists", "this node already has a copy of " + dataset
          + "; a full stream would overwrite it: send an incremental, or destroy the copy first");
    }
    long free = expectedBytes.isPresent() ? zfs.poolSpace().freeBytes() : 0;
    if (expectedBytes.isPresent() && expectedBytes.getAsLong() > free) {
      throw new TransferRefusedException(507, "InsufficientStorage", "the stream of " + dataset + " needs about "
          + expectedBytes.getAsLong() + " bytes but pool " + zfs.layout().pool() + " has " + free + " free");
    }
    // -F on an incremental discards changes a standby copy picked up since its snapshot (atime
    // and the like); the ticket and the checks above guarantee that is no one's data. The receive
    // unmounts a mounted copy first: a copy that receives is never mounted.
    try {
      return zfs.receive(dataset, ticket.incremental(), seen);
    } catch (ZfsException e) {
      throw refusal(dataset, e);
    }
  }

  private StreamingProcess resume(DatasetName dataset, String token, Optional<String> partial) {
    if (!partial.equals(Optional.of(token))) {
      throw new TransferRefusedException(409, "ResumeTokenStale", "the stream resumes a receive into " + dataset
          + " that this node " + (partial.isEmpty() ? "does not have (no receive_resume_token)"
              : "no longer has (its receive_resume_token is another)") + "; send the whole stream");
    }
    try {
      return zfs.receiveResumed(dataset);
    } catch (ZfsException e) {
      throw refusal(dataset, e);
    }
  }

  /** @param copied the copy's snapshots, oldest first, as just read; empty when there is no copy */
  private void prepareIncremental(DatasetName dataset, Optional<List<Snapshot>> copied, String baseGuid) {
    if (copied.isEmpty()) {
      throw new TransferRefusedException(409, "BaseMissing", "this node has no copy of " + dataset
          + " to apply an incremental stream to; send a full stream");
    }
    List<Snapshot> snapshots = copied.get();
    Optional<Snapshot> base = snapshots.stream().filter(s -> s.guid().equals(baseGuid)).findFirst();
    if (base.isEmpty()) {
      throw new TransferRefusedException(409, "BaseMissing", "the copy of " + dataset
          + " here has no snapshot with guid " + baseGuid + " to apply the incremental stream to");
    }
    if (!snapshots.get(snapshots.size() - 1).guid().equals(baseGuid)) {
      // The ticket allows discarding what came after the base, our own holds on it included.
      holds.holdOnly(dataset, List.of(base.get().name()));
      zfs.rollback(dataset, base.get().name());
    }
  }

  /**
   * Waits for the receive to finish, checks that the target's newest snapshot now is the one the
   * ticket names, and makes a new copy a read-only, unmounted standby. The sender compares the guid
   * returned here with its own snapshot's.
   *
   * @return the received snapshot
   * @throws TransferRefusedException when the receive failed or delivered another snapshot
   */
  public Snapshot complete(TransferTicket ticket, StreamingProcess receive) {
    DatasetName dataset = DatasetName.of(ticket.dataset());
    try {
      return check(dataset, ticket, receive);
    } finally {
      afterReceive.accept(dataset);
    }
  }

  private Snapshot check(DatasetName dataset, TransferTicket ticket, StreamingProcess receive) {
    try {
      receive.awaitSuccess();
    } catch (ZfsException e) {
      throw refusal(dataset, e);
    }
    List<Snapshot> snapshots = zfs.snapshots(dataset);
    Snapshot newest = snapshots.get(snapshots.size() - 1);
    if (!newest.name().equals(ticket.snapshot())) {
      // The stream was valid but not the one the ticket allows: undo it.
      if (ticket.incremental()) {
        snapshots.stream().filter(s -> s.guid().equals(ticket.baseGuid())).findFirst()
            .ifPresent(base -> zfs.rollback(dataset, base.name()));
      } else {
        zfs.destroy(dataset);
      }
      throw new TransferRefusedException(409, "SnapshotMismatch", "received snapshot " + newest.name()
          + " but the ticket is for snapshot " + ticket.snapshot() + "; undone");
    }
    if (!ticket.incremental()) {
      zfs.adoptReceived(dataset);
    }
    // The next round's base: held until the migration ends (the agent then releases it).
    holds.holdOnly(dataset, List.of(newest.name()));
    return newest;
  }

  static TransferRefusedException refusal(DatasetName dataset, ZfsException e) {
    return switch (e.reason()) {
      case OUT_OF_SPACE -> new TransferRefusedException(507, "InsufficientStorage",
          "pool too small for dataset " + dataset + ": " + e.getMessage());
      case INCOMPLETE_STREAM -> new TransferRefusedException(400, "IncompleteStream",
          "the stream of " + dataset + " ended early or was corrupt; the copy stays at its last snapshot: "
              + e.getMessage());
      case DIVERGED, ALREADY_EXISTS, BUSY -> new TransferRefusedException(409, "TargetConflict", e.getMessage());
      default -> new TransferRefusedException(500, "ReceiveFailed", e.getMessage());
    };
  }
}
