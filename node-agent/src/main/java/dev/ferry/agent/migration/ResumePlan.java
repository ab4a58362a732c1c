package dev.ferry.agent.migration;

import dev.ferry.agent.zfs.ResumeToken;
import dev.ferry.api.model.Snapshot;
import java.util.Optional;

/**
 * Whether a round's stream resumes the target's interrupted receive or starts over, from what the
 * target reported and what its resume token says. Pure, so every case is a test row.
 *
 * <p>Only OpenZFS resumes ({@code zfs receive -s}, {@code zfs send -t}); on zfs-fuse there is no
 * token and every stream starts over, as before. A stream that does not resume makes the target
 * discard its partial receive first ({@code zfs receive -A}): a partial receive is nobody's data,
 * only progress. A token is resumed only when it describes exactly this round's stream: the
 * snapshot (by guid and by the source's name for it) and the base (by guid, none for a full
 * stream). The source sends what the token names, so a token that carries this snapshot's guid
 * under another name is refused rather than sent: it was not made by a stream of this dataset.
 */
public sealed interface ResumePlan {

  /** Send the rest of the interrupted stream: {@code zfs send -t token}. */
  record Resume(String token) implements ResumePlan {}

  /** Send the whole stream; {@code why} says why nothing is resumed, for the log. */
  record StartOver(String why) implements ResumePlan {}

  /** Send nothing; the round fails with {@code reason}. */
  record Refuse(String reason) implements ResumePlan {}

  /**
   * @param resumable whether this node's zfs resumes streams ({@code ZfsFeatures.resumableReceive})
   * @param targetToken the target's {@code receive_resume_token} for the dataset, empty when it has
   *     no partial receive
   * @param contents what {@code zfs send -n -v -t} read from the token here, empty when it could not
   * @param snapshotName the source's full name of the round's snapshot ({@code pool/ferry/db@r0})
   * @param snapshot the round's snapshot
   * @param base the stream's base, empty for a full stream
   */
  static ResumePlan decide(boolean resumable, Optional<String> targetToken, Optional<ResumeToken> contents,
      String snapshotName, Snapshot snapshot, Optional<Snapshot> base) {
    if (targetToken.isEmpty()) {
      return new StartOver("the target has no partial receive");
    }
    if (!resumable) {
      return new StartOver("this node's zfs cannot resume a stream (no zfs send -t); the target discards its partial receive");
    }
    if (contents.isEmpty()) {
      return new StartOver("the target's resume token could not be read here; the target discards its partial receive");
    }
    ResumeToken token = contents.get();
    if (!token.toGuid().equals(snapshot.guid())) {
      return new StartOver("the target's partial receive is of another snapshot (" + token.toName() + ", guid "
          + token.toGuid() + "); the target discards it");
    }
    if (!token.toName().equals(snapshotName)) {
      return new Refuse("the target's resume token names " + token.toName() + " but carries the guid of "
          + snapshotName + " (" + snapshot.guid() + "): it was not made by a stream of this dataset, so it is not"
          + " sent; discard it on the target with zfs receive -A");
    }
    String baseGuid = base.map(Snapshot::guid).orElse("");
    if (!token.fromGuid().equals(baseGuid)) {
      return new StartOver("the target's partial receive of " + snapshotName + " is "
          + (token.fromGuid().isEmpty() ? "a full stream" : "from base guid " + token.fromGuid()) + ", this round's "
          + (baseGuid.isEmpty() ? "is a full stream" : "is from base guid " + baseGuid) + "; the target discards it");
    }
    return new Resume(targetToken.get());
  }
}
