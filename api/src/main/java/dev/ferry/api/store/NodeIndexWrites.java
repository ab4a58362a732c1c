package dev.ferry.api.store;

import static dev.ferry.api.store.KeySpace.bytes;

import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.store.RecentValues.Seen;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The node index's half of a write of a Dataset or Migration ({@link NodeIndex}): what goes into
 * the object's own etcd transaction so that, whenever the transaction commits, the object has an
 * entry under exactly the nodes it concerns, each holding the object's new value at the same
 * revision, and its holders list names exactly those nodes.
 *
 * <p>The entries to remove are those the holders list names, not those recomputed from the old
 * value: a Dataset's nodes include its owning Migration's, which may be gone by now. The
 * transaction compares the holders list's revision with the one read, so a concurrent write (or
 * {@link NodeIndexRepair}) that changed it fails the write instead of leaving an entry behind.
 */
final class NodeIndexWrites {

  /** What one object's write adds to its transaction, and the holders list it writes. */
  record Extra(List<Cmp> compares, List<Op> ops, Optional<ByteSequence> holdersKey, ByteSequence holders) {

    static final Extra NONE = new Extra(List.of(), List.of(), Optional.empty(), ByteSequence.EMPTY);

    /** After the transaction committed at {@code revision}: the holders list is known for the next write. */
    void stored(Connection connection, long revision) {
      holdersKey.ifPresent(k -> connection.recent.remember(k, new Seen(holders, revision, 0)));
    }

    /** After a delete committed. */
    void deleted(Connection connection) {
      holdersKey.ifPresent(connection.recent::forget);
    }
  }

  /** A holders list as read, with its revision (0: there is none). */
  record Holders(Set<String> nodes, long modRevision) {

    static final Holders NONE = new Holders(Set.of(), 0);

    static Holders of(KeyValue kv) {
      return new Holders(decode(kv.getValue()), kv.getModRevision());
    }
  }

  private final Connection connection;
  private final KeySpace keys;

  NodeIndexWrites(Connection connection, KeySpace keys) {
    this.connection = connection;
    this.keys = keys;
  }

  /**
   * For a write of {@code next}, stored as {@code value}, over the version at {@code
   * storedRevision} (0 for a create): its entries put under the nodes it concerns now, removed from
   * the others its holders list names.
   */
  CompletableFuture<Extra> put(Kind<?, ?, ?> kind, FerryObject<?, ?, ?> next, ByteSequence value, long storedRevision) {
    if (!NodeIndex.indexes(kind)) {
      return CompletableFuture.completedFuture(Extra.NONE);
    }
    ByteSequence holdersKey = keys.holders().key(kind, next.name());
    return holders(holdersKey, storedRevision).thenCombine(owner(next), (old, owner) -> {
      Set<String> now = NodeIndex.nodesOf(next, owner);
      List<Op> ops = new ArrayList<>();
      for (String node : now) {
        ops.add(Op.put(keys.node(node).key(kind, next.name()), value, PutOption.DEFAULT));
      }
      for (String node : old.nodes()) {
        if (!now.contains(node)) {
          ops.add(Op.delete(keys.node(node).key(kind, next.name()), DeleteOption.DEFAULT));
        }
      }
      ByteSequence encoded = encode(now);
      ops.add(Op.put(holdersKey, encoded, PutOption.DEFAULT));
      return new Extra(List.of(unchanged(holdersKey, old)), ops, Optional.of(holdersKey), encoded);
    });
  }

  /** For a delete of the object {@code name}: every entry its holders list names, and the list. */
  CompletableFuture<Extra> delete(Kind<?, ?, ?> kind, String name) {
    if (!NodeIndex.indexes(kind)) {
      return CompletableFuture.completedFuture(Extra.NONE);
    }
    ByteSequence holdersKey = keys.holders().key(kind, name);
    return holders(holdersKey, 0).thenApply(old -> {
      List<Op> ops = new ArrayList<>();
      old.nodes().forEach(node -> ops.add(Op.delete(keys.node(node).key(kind, name), DeleteOption.DEFAULT)));
      ops.add(Op.delete(holdersKey, DeleteOption.DEFAULT));
      return new Extra(List.of(unchanged(holdersKey, old)), ops, Optional.of(holdersKey), ByteSequence.EMPTY);
    });
  }

  /** The spec of the Migration whose nodes the object's entries include, if it names one that exists. */
  CompletableFuture<Optional<MigrationSpec>> owner(FerryObject<?, ?, ?> object) {
    Optional<String> name = NodeIndex.owner(object);
    if (name.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    ByteSequence key = keys.key(Kind.MIGRATION, name.get());
    return connection.client.getKVClient().get(key).thenApply(r -> r.getKvs().stream().findFirst()
        .map(kv -> ObjectCodec.decode(Migration.class, kv).spec()));
  }

  /**
   * The holders list as of {@code objectRevision} (it is written in the same transaction as the
   * object, so it has the object's revision): from what this connection saw last when that is
   * it, else read from etcd.
   */
  private CompletableFuture<Holders> holders(ByteSequence key, long objectRevision) {
    Optional<Seen> known = objectRevision > 0 ? connection.recent.at(key, objectRevision) : Optional.empty();
    if (known.isPresent()) {
      return CompletableFuture.completedFuture(new Holders(decode(known.get().value()), objectRevision));
    }
    return connection.client.getKVClient().get(key)
        .thenApply(r -> r.getKvs().stream().findFirst().map(Holders::of).orElse(Holders.NONE));
  }

  /** The holders list is as read: etcd takes 0 as the revision of a key that does not exist. */
  private static Cmp unchanged(ByteSequence key, Holders read) {
    return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(read.modRevision()));
  }

  static ByteSequence encode(Set<String> nodes) {
    return bytes(String.join("\n", nodes));
  }

  static Set<String> decode(ByteSequence value) {
    String s = value.toString(StandardCharsets.UTF_8);
    return s.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(s.split("\n")));
  }
}
