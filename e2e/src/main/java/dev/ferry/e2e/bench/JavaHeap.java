package dev.ferry.e2e.bench;

import dev.ferry.api.process.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The heap another JVM uses after a full GC, read with the JDK's {@code jcmd}. */
public final class JavaHeap {

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private JavaHeap() {}

  public static double mebibytesAfterGc(long pid) throws IOException {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    long usedKiB = 0;
    // Serial and parallel GCs print one line per generation; the young and old lines are the heap.
    for (String line : info.lines().toList()) {
      Matcher m = USED.matcher(line);
      boolean heapLine = line.contains("generation") || line.contains("garbage-first heap");
      if (heapLine && m.find()) {
        usedKiB += Long.parseLong(m.group(1));
      }
    }
    if (usedKiB == 0) {
      throw new IOException("could not read the heap from jcmd's answer:\n" + info);
    }
    return usedKiB / 1024.0;
  }

  private static String jcmd(long pid, String command) throws IOException {
    Command jcmd = Command.run(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), command);
    if (!jcmd.ok()) {
      throw new IOException(jcmd.failure());
    }
    return jcmd.stdout();
  }
}
