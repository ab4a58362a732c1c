package dev.ferry.devcluster.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Prints the lines a log gains, as {@code tail -f} would: how {@code up} and {@code down} show the supervisor's progress. */
final class LogFollower {

  private final Path file;
  private final PrintStream out;
  private long offset;

  LogFollower(Path file, PrintStream out) {
    this.file = file;
    this.out = out;
    this.offset = file.toFile().length();
  }

  /** Starts at the beginning of the file rather than at its current end. */
  static LogFollower fromStart(Path file, PrintStream out) {
    LogFollower follower = new LogFollower(file, out);
    follower.offset = 0;
    return follower;
  }

  /** Prints every complete line written since the last call. */
  void printNewLines() {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      if (length <= offset) {
        return;
      }
      byte[] bytes = new byte[(int) Math.min(length - offset, 1 << 20)];
      raf.seek(offset);
      raf.readFully(bytes);
      int end = lastNewline(bytes);
      if (end < 0) {
        return;
      }
      out.print(new String(bytes, 0, end + 1, StandardCharsets.UTF_8));
      out.flush();
      offset += end + 1;
    } catch (IOException e) {
      // Not there yet (or already deleted): nothing to print.
    }
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
