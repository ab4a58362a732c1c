package dev.ferry.api.store;

import java.util.Optional;

/**
 * Which page of a list to read: at most {@code limit} matching objects, at {@code revision}
 * (0: the newest, for a first page), after the object named {@code after} (empty: from the
 * first).
 */
public record PageRequest(int limit, long revision, Optional<String> after) {

  public PageRequest {
    if (limit < 1) {
      throw new IllegalArgumentException("a page holds 1 object or more, not " + limit);
    }
    if (revision < 0) {
      throw new IllegalArgumentException("a revision is 0 (the newest) or more, not " + revision);
    }
  }

  /** The first page of at most {@code limit} objects, at the newest revision. */
  public static PageRequest first(int limit) {
    return new PageRequest(limit, 0, Optional.empty());
  }
}
