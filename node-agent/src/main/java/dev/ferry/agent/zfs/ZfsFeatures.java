package dev.ferry.agent.zfs;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The optional ZFS features this node's {@code zfs} command offers, read from its usage text.
 * zfs-fuse 0.7 has none of them; OpenZFS has all. The driver only passes a flag that this says
 * exists, so the same agent runs on both.
 *
 * @param sendEstimate {@code zfs send -n -P}: the size of a stream before sending it
 * @param resumableReceive {@code zfs receive -s}, {@code zfs send -t}, {@code zfs receive -A}: an
 *     interrupted stream resumes where it stopped ({@code ResumableStreams}); without it (zfs-fuse)
 *     the whole stream is sent again
 * @param bookmarks the {@code zfs bookmark} command
 * @param parsableList {@code zfs list -p}
 */
public record ZfsFeatures(boolean sendEstimate, boolean resumableReceive, boolean bookmarks, boolean parsableList) {

  /** What zfs-fuse 0.7 offers: none of the optional features. */
  public static final ZfsFeatures NONE = new ZfsFeatures(false, false, false, false);

  private static final Pattern COMMAND_LINE = Pattern.compile("^\\s+([a-z]+)\\s*(.*)$", Pattern.MULTILINE);
  private static final Pattern FLAG_GROUP = Pattern.compile("\\[-([A-Za-z]+)]");

  /**
   * Reads the features from the text {@code zfs} prints when run without arguments. Only lines
   * that start with a command name count (continuation lines carry arguments, not flags).
   */
  public static ZfsFeatures fromUsage(String usage) {
    Map<String, Set<Character>> flags = new HashMap<>();
    Matcher line = COMMAND_LINE.matcher(usage);
    while (line.find()) {
      Set<Character> set = flags.computeIfAbsent(line.group(1), k -> new HashSet<>());
      Matcher group = FLAG_GROUP.matcher(line.group(2));
      while (group.find()) {
        group.group(1).chars().forEach(c -> set.add((char) c));
      }
    }
    Set<Character> send = flags.getOrDefault("send", Set.of());
    Set<Character> receive = flags.getOrDefault("receive", Set.of());
    Set<Character> list = flags.getOrDefault("list", Set.of());
    return new ZfsFeatures(
        send.contains('n') && send.contains('P'),
        receive.contains('s'),
        flags.containsKey("bookmark"),
        list.contains('p'));
  }
}
