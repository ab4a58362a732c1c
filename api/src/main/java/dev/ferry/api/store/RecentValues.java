package dev.ferry.api.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The latest value a connection has seen for each key, read, watched or written by it, with its
 * mod revision and lease. An update names the revision its caller read; when that is the one
 * seen here, the store need not read the key again before writing: a value at a given mod
 * revision never changes, and the write's compare on that revision refuses anything newer.
 * Bounded: the keys seen least recently go first.
 */
final class RecentValues {

  /** A key's value as of {@code modRevision}, and the lease it is attached to (0 for none). */
  record Seen(ByteSequence value, long modRevision, long lease) {
    static Seen of(KeyValue kv) {
      return new Seen(kv.getValue(), kv.getModRevision(), kv.getLease());
    }
  }

  private final Map<ByteSequence, Seen> seen;

  RecentValues(int capacity) {
    this.seen = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ByteSequence, Seen> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Remembers {@code value} for {@code key} unless something newer is already known. */
  synchronized void remember(ByteSequence key, Seen value) {
    Seen known = seen.get(key);
    if (known == null || known.modRevision() <= value.modRevision()) {
      seen.put(key, value);
    }
  }

  void remember(KeyValue kv) {
    remember(kv.getKey(), Seen.of(kv));
  }

  synchronized void forget(ByteSequence key) {
    seen.remove(key);
  }

  /** The value of {@code key} at exactly {@code modRevision}, if that is the one seen last. */
  synchronized Optional<Seen> at(ByteSequence key, long modRevision) {
    Seen known = seen.get(key);
    return known != null && known.modRevision() == modRevision ? Optional.of(known) : Optional.empty();
  }
}
