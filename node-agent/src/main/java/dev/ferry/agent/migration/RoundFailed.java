package dev.ferry.agent.migration;

/** A round the source cannot do as asked; the message is what the Migration's transfer reports. */
final class RoundFailed extends RuntimeException {

  RoundFailed(String message) {
    super(message);
  }
}
