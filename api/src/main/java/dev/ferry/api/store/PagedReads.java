package dev.ferry.api.store;

import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.OptionsUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Bounded reads of one kind's keys: a page of a list, and how many objects there are. Each
 * reads at most one page's worth of keys from etcd at a time (etcd's range limit), never the
 * whole kind, so neither a large kind nor a selector that matches little holds more than a page
 * in memory.
 */
final class PagedReads {

  /**
   * The fewest keys read at once under a label selector: a page of 1 through a selector that
   * matches nothing would otherwise cost one etcd round trip per object of the kind.
   */
  static final int SELECTOR_CHUNK = 500;

  private final EtcdStore store;

  PagedReads(EtcdStore store) {
    this.store = store;
  }

  /** See {@link EtcdStore#listPage}. */
  <O extends FerryObject<O, S, T>, S, T> CompletableFuture<ListPage<O>> page(
      Kind<O, S, T> kind, LabelSelector selector, PageRequest request) {
    ByteSequence start = request.after().map(name -> after(kind, name)).orElse(store.keys().prefix(kind));
    return chunk(kind, selector, request, start, request.revision(), new ArrayList<>());
  }

  /**
   * Reads {@code limit} keys (at least {@link #SELECTOR_CHUNK} under a selector) from
   * {@code start} on and keeps what matches, up to {@code limit}; reads on while a selector left
   * the page short and more keys remain. Every chunk after the first reads at the
   * first one's revision.
   */
  private <O extends FerryObject<O, S, T>, S, T> CompletableFuture<ListPage<O>> chunk(Kind<O, S, T> kind,
      LabelSelector selector, PageRequest request, ByteSequence start, long revision, List<O> found) {
    GetOption option = GetOption.builder()
        .withRange(OptionsUtil.prefixEndOf(store.keys().prefix(kind)))
        .withLimit(selector.requirements().isEmpty() ? request.limit() : Math.max(request.limit(), SELECTOR_CHUNK))
        .withRevision(revision)
        .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.ASCEND).build();
    CompletableFuture<GetResponse> read = store.handOff(() ->
        store.connection().client.getKVClient().get(start, option));
    return atRevision(read, revision, "the list's revision " + revision,
        etcdMessage -> HistoryCompactedException.ofList(revision, etcdMessage)).thenCompose(r -> {
      long at = revision == 0 ? r.getHeader().getRevision() : revision;
      Optional<String> lastExamined = Optional.empty();
      int examined = 0;
      for (KeyValue kv : r.getKvs()) {
        if (found.size() == request.limit()) {
          break;
        }
        examined++;
        lastExamined = Optional.of(store.keys().name(kind, kv.getKey()));
        O object = store.decode(kind, kv);
        if (selector.matches(object.metadata().labels())) {
          found.add(object);
        }
      }
      // etcd counts every key from start to the end of the kind, not only those it returned.
      long left = r.getCount() - examined;
      if (left > 0 && found.size() < request.limit()) {
        return chunk(kind, selector, request, after(kind, lastExamined.orElseThrow()), at, found);
      }
      OptionalLong remaining = left > 0 && selector.requirements().isEmpty() ? OptionalLong.of(left) : OptionalLong.empty();
      return CompletableFuture.completedFuture(new ListPage<>(found, at,
          left > 0 ? lastExamined : Optional.empty(), remaining));
    });
  }

  /** The first key after {@code name}'s: the same key with a 0 byte appended. */
  private ByteSequence after(Kind<?, ?, ?> kind, String name) {
    return store.keys().key(kind, name).concat(ByteSequence.from(new byte[] {0}));
  }

  /** How many objects of a kind there are: etcd counts, nothing is read. */
  CompletableFuture<Long> count(Kind<?, ?, ?> kind) {
    GetOption countOnly = GetOption.builder().isPrefix(true).withCountOnly(true).build();
    return store.handOff(() -> store.connection().client.getKVClient().get(store.keys().prefix(kind), countOnly)
        .thenApply(GetResponse::getCount));
  }

  /**
   * A read at a compacted revision as the exception {@code gone} makes of etcd's message (410 in
   * the API), and at a revision etcd has not reached as {@link IllegalArgumentException} (400)
   * naming {@code what}.
   */
  static <V> CompletableFuture<V> atRevision(CompletableFuture<V> read, long revision, String what,
      Function<String, HistoryCompactedException> gone) {
    if (revision == 0) {
      return read;
    }
    return read.exceptionallyCompose(error -> {
      String message = String.valueOf(error.getMessage());
      if (message.contains("compacted")) {
        return CompletableFuture.failedFuture(gone.apply(message));
      }
      if (message.contains("future revision")) {
        return CompletableFuture.failedFuture(new IllegalArgumentException(
            what + " is in the future: etcd has not reached it"));
      }
      return CompletableFuture.failedFuture(error);
    });
  }
}
