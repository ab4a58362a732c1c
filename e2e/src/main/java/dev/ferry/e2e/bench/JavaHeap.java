package dev.ferry.e2e.bench;

import dev.ferry.api.process.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * Live objects per class after a full GC ({@code jcmd GC.class_histogram}): class name to
   * bytes, for finding what a heap that grows holds more of.
   */
  public static Map<String, Long> classBytes(long pid) throws IOException {
    Map<String, Long> bytes = new HashMap<>();
    for (String line : jcmd(pid, "GC.class_histogram").lines().toList()) {
      // "   1:         12345        6789012  [B (java.base@17)"
      String[] f = line.strip().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":") && f[1].chars().allMatch(Character::isDigit)) {
        bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
      }
    }
    return bytes;
  }

  /** The {@code top} classes whose live bytes grew most from {@code before} to {@code after}. */
  public static List<String> grewMost(Map<String, Long> before, Map<String, Long> after,
      int top) {
    return after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .map(e -> String.format("%+9.1f KiB %s", e.getValue() / 1024.0, e.getKey()))
        .toList();
  }

  private static String jcmd(long pid, String command) throws IOException {
    Command jcmd = Command.run(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), command);
    if (!jcmd.ok()) {
      throw new IOException(jcmd.failure());
    }
    return jcmd.stdout();
  }
}
