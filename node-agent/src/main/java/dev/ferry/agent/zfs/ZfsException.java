package dev.ferry.agent.zfs;

import java.util.List;

/**
 * A {@code zfs} or {@code zpool} command failed. {@link #reason()} classifies the failure from
 * the command's error text so that callers can react (a missing dataset, a full pool, a target
 * that has diverged) without parsing messages themselves.
 */
public final class ZfsException extends RuntimeException {

  /** What went wrong, as far as the command's error text tells. */
  public enum Reason {
    NOT_FOUND,
    ALREADY_EXISTS,
    BUSY,
    OUT_OF_SPACE,
    /** An incremental does not fit the target's newest snapshot, or the target changed since. */
    DIVERGED,
    /** The stream ended early or was corrupt; the target keeps its last complete snapshot. */
    INCOMPLETE_STREAM,
    TIMED_OUT,
    FAILED
  }

  private final Reason reason;

  public ZfsException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** Classifies a failed command by its error output. */
  static ZfsException fromCommand(List<String> command, int exit, String stderr) {
    String detail = stderr.strip().isEmpty() ? "exit status " + exit : stderr.strip();
    return new ZfsException(classify(stderr), String.join(" ", command) + ": " + detail);
  }

  static Reason classify(String stderr) {
    String s = stderr.toLowerCase(java.util.Locale.ROOT);
    if (s.contains("does not exist") || s.contains("no such pool") || s.contains("could not find any snapshots")
        || s.contains("no such tag")) {
      return Reason.NOT_FOUND;
    }
    if (s.contains("already exists") || s.contains("must specify -f to overwrite")) {
      return Reason.ALREADY_EXISTS;
    }
    if (s.contains("out of space") || s.contains("quota exceeded") || s.contains("no space")) {
      return Reason.OUT_OF_SPACE;
    }
    if (s.contains("does not match incremental source") || s.contains("destination has been modified")
        || s.contains("has been modified")) {
      return Reason.DIVERGED;
    }
    if (s.contains("invalid backup stream") || s.contains("checksum mismatch") || s.contains("incomplete stream")
        || s.contains("premature end")) {
      return Reason.INCOMPLETE_STREAM;
    }
    if (s.contains("busy")) {
      return Reason.BUSY;
    }
    return Reason.FAILED;
  }
}
