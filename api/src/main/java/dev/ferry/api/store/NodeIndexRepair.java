package dev.ferry.api.store;

import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass that makes the node index agree with the objects ({@link EtcdStore#repairNodeIndex}).
 *
 * <p>An object's entries are right when its holders list and every entry it names carry the
 * object's own revision and no other node has one: then one transaction wrote them all, and that
 * transaction computed them ({@link NodeIndexWrites}). That is checked on keys and revisions
 * alone (one read of each prefix, at one revision, without values), so a pass over an index that
 * is right decodes nothing. Any other object is read and written again (the same value, and so a
 * new revision) with its entries, under the compare that it did not change since read; an entry
 * or holders list whose object is gone is deleted under the compare that it still is.
 */
final class NodeIndexRepair {

  private static final Logger LOG = LoggerFactory.getLogger(NodeIndexRepair.class);

  /** What the index holds for one object: its holders list, and its entries by node. */
  private static final class Found {
    NodeIndexWrites.Holders holders = NodeIndexWrites.Holders.NONE;
    boolean hasHolders;
    final Map<String, Long> entries = new TreeMap<>();
  }

  private final EtcdStore store;
  private final NodeIndexWrites index;
  private final KeySpace keys;

  NodeIndexRepair(EtcdStore store, NodeIndexWrites index) {
    this.store = store;
    this.index = index;
    this.keys = store.keys();
  }

  CompletableFuture<Integer> run() {
    var kv = store.connection().client.getKVClient();
    GetOption values = GetOption.builder().isPrefix(true).build();
    return kv.get(keys.holders().everything(), values).thenCompose(holders -> {
      long revision = holders.getHeader().getRevision();
      GetOption keysOnly = GetOption.builder().isPrefix(true).withKeysOnly(true).withRevision(revision).build();
      CompletableFuture<GetResponse> entries = kv.get(keys.nodes(), keysOnly);
      CompletableFuture<GetResponse> datasets = kv.get(keys.prefix(Kind.DATASET), keysOnly);
      CompletableFuture<GetResponse> migrations = kv.get(keys.prefix(Kind.MIGRATION), keysOnly);
      return CompletableFuture.allOf(entries, datasets, migrations).thenCompose(v ->
          repair(plan(holders, entries.join(), Map.of(Kind.DATASET, datasets.join(), Kind.MIGRATION, migrations.join()))));
    });
  }

  /** One object to mend: its kind and name, and the nodes the index has anything of it under. */
  private record Mend(Kind<?, ?, ?> kind, String name, Set<String> present) {}

  private List<Mend> plan(GetResponse holders, GetResponse entries, Map<Kind<?, ?, ?>, GetResponse> objects) {
    Map<String, Found> found = new HashMap<>();
    String holdersRoot = keys.holders().everything().toString(StandardCharsets.UTF_8);
    for (KeyValue kv : holders.getKvs()) {
      String path = kv.getKey().toString(StandardCharsets.UTF_8).substring(holdersRoot.length());
      Found f = found.computeIfAbsent(path, p -> new Found());
      f.holders = NodeIndexWrites.Holders.of(kv);
      f.hasHolders = true;
    }
    String nodesRoot = keys.nodes().toString(StandardCharsets.UTF_8);
    for (KeyValue kv : entries.getKvs()) {
      String rest = kv.getKey().toString(StandardCharsets.UTF_8).substring(nodesRoot.length());
      int slash = rest.indexOf('/');
      if (slash > 0) {
        found.computeIfAbsent(rest.substring(slash + 1), p -> new Found()).entries.put(rest.substring(0, slash),
            kv.getModRevision());
      }
    }
    List<Mend> mends = new ArrayList<>();
    for (Map.Entry<Kind<?, ?, ?>, GetResponse> kind : objects.entrySet()) {
      String prefix = keys.prefix(kind.getKey()).toString(StandardCharsets.UTF_8);
      for (KeyValue kv : kind.getValue().getKvs()) {
        String name = kv.getKey().toString(StandardCharsets.UTF_8).substring(prefix.length());
        Found f = found.remove(kind.getKey().plural() + "/" + name);
        if (f == null || !right(f, kv.getModRevision())) {
          mends.add(new Mend(kind.getKey(), name, f == null ? Set.of() : present(f)));
        }
      }
    }
    // What is left has no object: strays.
    found.forEach((path, f) -> {
      int slash = path.indexOf('/');
      Kind.ALL.stream().filter(k -> k.plural().equals(path.substring(0, slash))).findFirst()
          .ifPresent(k -> mends.add(new Mend(k, path.substring(slash + 1), present(f))));
    });
    return mends;
  }

  private static boolean right(Found f, long revision) {
    return f.hasHolders && f.holders.modRevision() == revision && f.holders.nodes().equals(f.entries.keySet())
        && f.entries.values().stream().allMatch(r -> r == revision);
  }

  private static Set<String> present(Found f) {
    Set<String> nodes = new TreeSet<>(f.holders.nodes());
    nodes.addAll(f.entries.keySet());
    return nodes;
  }

  /** One at a time, so that an upgrade's first pass over many objects does not flood etcd. */
  private CompletableFuture<Integer> repair(List<Mend> mends) {
    CompletableFuture<Integer> done = CompletableFuture.completedFuture(0);
    for (Mend m : mends) {
      done = done.thenCompose(n -> mend(m).thenApply(ok -> ok ? n + 1 : n));
    }
    return done.whenComplete((n, e) -> {
      if (e == null && n > 0) {
        LOG.info("node index: repaired the entries of {} object(s)", n);
      }
    });
  }

  private CompletableFuture<Boolean> mend(Mend m) {
    ByteSequence key = keys.key(m.kind(), m.name());
    ByteSequence holdersKey = keys.holders().key(m.kind(), m.name());
    return store.connection().client.getKVClient().get(key).thenCompose(got -> {
      List<Op> ops = new ArrayList<>();
      if (got.getKvs().isEmpty()) {
        m.present().forEach(node -> ops.add(Op.delete(keys.node(node).key(m.kind(), m.name()), DeleteOption.DEFAULT)));
        ops.add(Op.delete(holdersKey, DeleteOption.DEFAULT));
        return store.writeIndex(List.of(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0))), ops);
      }
      KeyValue kv = got.getKvs().get(0);
      FerryObject<?, ?, ?> object = ObjectCodec.decode(m.kind().type(), kv);
      return index.owner(object).thenCompose(owner -> {
        Set<String> now = NodeIndex.nodesOf(object, owner);
        ops.add(Op.put(key, kv.getValue(), PutOption.builder().withLeaseId(kv.getLease()).build()));
        now.forEach(node -> ops.add(Op.put(keys.node(node).key(m.kind(), m.name()), kv.getValue(), PutOption.DEFAULT)));
        m.present().stream().filter(node -> !now.contains(node))
            .forEach(node -> ops.add(Op.delete(keys.node(node).key(m.kind(), m.name()), DeleteOption.DEFAULT)));
        ops.add(Op.put(holdersKey, NodeIndexWrites.encode(now), PutOption.DEFAULT));
        return store.writeIndex(List.of(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(kv.getModRevision()))), ops);
      });
    });
  }
}
