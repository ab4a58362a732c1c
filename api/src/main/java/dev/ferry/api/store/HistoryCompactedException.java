package dev.ferry.api.store;

/**
 * etcd no longer holds the history a caller asked for: the revision was compacted (HTTP 410).
 * A watch cannot resume from it; the caller lists again and watches from the list's revision.
 */
public class HistoryCompactedException extends StoreException {

  private final long revision;

  public HistoryCompactedException(long revision, String etcdMessage) {
    super("resourceVersion " + revision + " is too old: etcd compacted its history ("
        + etcdMessage + "); list again and watch from the list's resourceVersion");
    this.revision = revision;
  }

  /** The revision asked for. */
  public long revision() {
    return revision;
  }
}
