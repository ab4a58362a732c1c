package dev.ferry.api.store;

/**
 * etcd no longer holds the history a caller asked for: the revision was compacted (HTTP 410).
 * A watch cannot resume from it; the caller lists again and watches from the list's revision.
 */
public class HistoryCompactedException extends StoreException {

  private final long revision;

  public HistoryCompactedException(long revision, String etcdMessage) {
    this("resourceVersion " + revision + " is too old: etcd compacted its history ("
        + etcdMessage + "); list again and watch from the list's resourceVersion", revision);
  }

  private HistoryCompactedException(String message, long revision) {
    super(message);
    this.revision = revision;
  }

  /**
   * A list continued at {@code revision} (its continue token's) after etcd compacted it: the
   * pages read so far can no longer be completed consistently.
   */
  public static HistoryCompactedException ofList(long revision, String etcdMessage) {
    return new HistoryCompactedException("the continue token is too old: the list it continues was read"
        + " at revision " + revision + ", which etcd has compacted since (" + etcdMessage + "); start the list again"
        + " without continue", revision);
  }

  /** The revision asked for. */
  public long revision() {
    return revision;
  }
}
