package dev.ferry.cli;

/** Exit codes as kubectl's: 0 success, 1 any error; {@code diff} alone uses 1 for "different" and 2 for errors. */
public final class ExitCodes {

  public static final int OK = 0;
  public static final int ERROR = 1;
  public static final int DIFFERENT = 1;
  public static final int DIFF_ERROR = 2;

  private ExitCodes() {}
}
