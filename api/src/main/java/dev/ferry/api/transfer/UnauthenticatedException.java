package dev.ferry.api.transfer;

/** A request to a node agent without a valid credential of a cluster-key holder ({@link AgentRequest}). */
public final class UnauthenticatedException extends RuntimeException {

  public UnauthenticatedException(String message) {
    super(message);
  }
}
