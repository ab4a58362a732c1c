package dev.ferry.api.transfer;

/** A transfer ticket was missing, malformed, forged, expired, reused or meant for something else. */
public final class TicketRejectedException extends RuntimeException {

  public TicketRejectedException(String message) {
    super(message);
  }
}
