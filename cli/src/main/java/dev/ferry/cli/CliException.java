package dev.ferry.cli;

/** A failure ferryctl reports as one message (and exit code 1, unless said otherwise). */
public class CliException extends RuntimeException {

  private final int exitCode;

  public CliException(String message) {
    this(message, ExitCodes.ERROR);
  }

  public CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
