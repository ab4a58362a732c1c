package dev.ferry.cli;

/** A failure ferryctl reports as one message; the failing command decides the exit code ({@link Verb#errorExitCode}). */
public class CliException extends RuntimeException {

  public CliException(String message) {
    super(message);
  }
}
