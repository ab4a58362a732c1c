package dev.ferry.e2e.bench;

import dev.ferry.api.process.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a process (all its threads) has used, from Linux's {@code /proc/<pid>/stat}: what
 * the kernel accounted, not what the process says of itself.
 */
final class ProcessCpu {

  private static final long TICKS_PER_SECOND = ticksPerSecond();

  private ProcessCpu() {}

  /** User and system CPU seconds of {@code pid} so far. */
  static double seconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long utime = Long.parseLong(f[11]);
    long stime = Long.parseLong(f[12]);
    return (utime + stime) / (double) TICKS_PER_SECOND;
  }

  private static long ticksPerSecond() {
    Command c = Command.run("getconf", "CLK_TCK");
    return c.ok() ? Long.parseLong(c.stdout().strip()) : 100;
  }
}
