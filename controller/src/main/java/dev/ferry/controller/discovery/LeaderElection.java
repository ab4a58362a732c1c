package dev.ferry.controller.discovery;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Who leads an election kept as sequential znodes, the way Marathon's Curator {@code LeaderLatch}
 * and Mesos's contenders keep theirs: the member with the lowest sequence number leads.
 */
public final class LeaderElection {

  private LeaderElection() {}

  /**
   * The leading member's data among {@code children} (name to data) whose names contain
   * {@code marker} ({@code "latch-"} for a LeaderLatch, {@code "json.info_"} for Mesos).
   */
  public static Optional<byte[]> leader(Map<String, byte[]> children, String marker) {
    return children.entrySet().stream()
        .filter(e -> e.getKey().contains(marker) && sequence(e.getKey()) >= 0)
        .min(Comparator.comparingLong(e -> sequence(e.getKey())))
        .map(Map.Entry::getValue);
  }

  /** The sequence ZooKeeper appended to a sequential znode's name (its last ten digits), or -1. */
  static long sequence(String name) {
    int end = name.length();
    int start = end;
    while (start > 0 && Character.isDigit(name.charAt(start - 1))) {
      start--;
    }
    return end - start == 10 ? Long.parseLong(name.substring(start)) : -1;
  }
}
