package dev.ferry.agent.transfer;

import java.time.Duration;
import java.util.Optional;

/**
 * A transfer the receiving node refused or could not complete, with the HTTP status the transfer
 * endpoint answers and a short machine-readable reason. A refusal with {@link #retryAfter} is a
 * busy receiver's (429 {@code ReceiverBusy}): the same stream may be sent again after that long.
 */
public final class TransferRefusedException extends RuntimeException {

  private final int status;
  private final String reason;
  private final Optional<Duration> retryAfter;

  public TransferRefusedException(int status, String reason, String message) {
    this(status, reason, message, Optional.empty());
  }

  /** A refusal to try again after {@code retryAfter}. */
  public TransferRefusedException(int status, String reason, String message, Duration retryAfter) {
    this(status, reason, message, Optional.of(retryAfter));
  }

  private TransferRefusedException(int status, String reason, String message, Optional<Duration> retryAfter) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.retryAfter = retryAfter;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  /** How long to wait before sending the same stream again; empty when a retry would not help now. */
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
