package dev.ferry.agent.transfer;

/**
 * A transfer the receiving node refused or could not complete, with the HTTP status the transfer
 * endpoint answers and a short machine-readable reason.
 */
public final class TransferRefusedException extends RuntimeException {

  private final int status;
  private final String reason;

  public TransferRefusedException(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }
}
