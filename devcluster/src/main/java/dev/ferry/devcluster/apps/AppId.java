package dev.ferry.devcluster.apps;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Marathon app id: an absolute, slash-separated path such as {@code /ops/audit}. Relative ids
 * are made absolute against the root, as {@code PathId.canonicalPath(root)} does.
 */
public record AppId(String path) {

  private static final Pattern SEGMENT = Pattern.compile(
      "^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])|(\\.|\\.\\.)$");
  private static final Set<String> RESERVED = Set.of("restart", "tasks", "versions", ".", "..");

  /** The canonical id for {@code raw}: leading slash added, {@code .}/{@code ..} resolved, trailing slash dropped. */
  public static AppId of(String raw) {
    java.util.Deque<String> out = new java.util.ArrayDeque<>();
    for (String segment : raw.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        out.pollLast();
      } else {
        out.addLast(segment);
      }
    }
    return new AppId("/" + String.join("/", out));
  }

  /** The validation error Marathon reports at {@code /id}, if the id is not acceptable. */
  public Optional<String> violation() {
    List<String> segments = segments();
    if (segments.isEmpty()) {
      return Optional.of("Path must contain at least one path element");
    }
    for (String segment : segments) {
      if (!SEGMENT.matcher(segment).matches()) {
        return Optional.of("must fully match regular expression '" + SEGMENT.pattern() + "'");
      }
    }
    String last = segments.get(segments.size() - 1);
    return RESERVED.contains(last)
        ? Optional.of("must not end with any of the following reserved keywords: "
            + RESERVED.stream().sorted().collect(Collectors.joining(", ")))
        : Optional.empty();
  }

  /** The segments joined with {@code _}, the prefix of task ids ({@code /g/app -> g_app}). */
  public String safeName() {
    return String.join("_", segments());
  }

  /** Whether this app lies inside the group {@code group} (given without the trailing {@code *}). */
  public boolean isIn(AppId group) {
    return group.path.equals("/") || path.startsWith(group.path + "/");
  }

  public List<String> segments() {
    return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
  }

  @Override
  public String toString() {
    return path;
  }
}
