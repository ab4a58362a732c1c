package dev.ferry.api.store;

import static dev.ferry.api.store.KeySpace.bytes;

import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.store.RecentValues.Seen;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ferry's objects in etcd: typed reads, optimistic-concurrency writes, leases, fencing and
 * watches.
 *
 * <p>Every operation is asynchronous. The returned futures complete on the store's own threads,
 * never on etcd's client threads, and fail with a {@link StoreException} (or its subtypes) when
 * etcd refuses or cannot be reached, or with {@link IllegalArgumentException} when the request
 * itself is wrong. Nothing here blocks.
 *
 * <p>An object's {@code resourceVersion} is the etcd mod revision of its key. Writes compare it:
 * {@link #update} and {@link #updateStatus} succeed only if the object was not written since the
 * caller read it. {@code spec} and {@code status} are written separately; {@code generation}
 * counts changes of {@code spec}.
 *
 * <p>Every write of a Dataset or Migration also writes, in the same transaction, the object's
 * entries in the node index ({@link NodeIndex}): a node agent watches only what concerns its node
 * ({@link #watchNode}).
 */
public final class EtcdStore implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EtcdStore.class);

  private final Connection connection;
  private final KeySpace keys;
  private final Optional<Fence> fence;
  private final boolean ownsConnection;
  private final NodeIndexWrites index;

  private EtcdStore(Connection connection, KeySpace keys, Optional<Fence> fence, boolean owns) {
    this.connection = connection;
    this.keys = keys;
    this.fence = fence;
    this.ownsConnection = owns;
    this.index = new NodeIndexWrites(connection, keys);
  }

  /**
   * A store over the etcd that {@code config} names. The connection is made lazily: if etcd is
   * unreachable, the first requests wait for it rather than this method failing.
   */
  public static EtcdStore connect(EtcdConfig config) {
    return new EtcdStore(Connection.open(config), new KeySpace(config.keyPrefix()),
        Optional.empty(), true);
  }

  /**
   * A view of this store whose every write also requires {@code fence.key()} to hold
   * {@code fence.value()}, and fails with {@link FencedException} otherwise. Reads and watches
   * are as before. The view shares this store's connection: closing it closes nothing, closing
   * this store closes it.
   */
  public EtcdStore fenced(Fence newFence) {
    return new EtcdStore(connection, keys, Optional.of(newFence), false);
  }

  /**
   * Moves the epoch in {@code key} one up (from 0 if it does not exist yet) and returns the
   * fence that owns the new epoch: every store fenced with an older value is fenced off from
   * now on. Not itself fenced.
   */
  public CompletableFuture<Fence> advanceFence(String key) {
    ByteSequence fenceKey = bytes(key);
    return handOff(() -> connection.client.getKVClient().get(fenceKey).thenCompose(got -> {
      long modRevision = got.getKvs().isEmpty() ? 0 : got.getKvs().get(0).getModRevision();
      long epoch = got.getKvs().isEmpty() ? 0 : parseEpoch(key, got.getKvs().get(0));
      String next = Long.toString(epoch + 1);
      return connection.client.getKVClient().txn()
          .If(new Cmp(fenceKey, Cmp.Op.EQUAL, CmpTarget.modRevision(modRevision)))
          .Then(Op.put(fenceKey, bytes(next), PutOption.DEFAULT))
          .commit()
          .thenCompose(r -> r.isSucceeded()
              ? CompletableFuture.completedFuture(new Fence(key, next))
              : advanceFence(key));
    }));
  }

  /**
   * Completes when this store's fence still holds its epoch, read linearizably from etcd at the
   * time of the call, and fails with {@link FencedException} when the epoch has moved on. For a
   * write outside etcd (Marathon) that cannot carry the fence in its own transaction: checked
   * right before it, it refuses a deposed or paused leader's write once a new leader advanced the
   * epoch. An unfenced store always passes.
   */
  public CompletableFuture<Void> checkFence() {
    if (fence.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Fence f = fence.get();
    return handOff(() -> connection.client.getKVClient().get(bytes(f.key())).thenApply(got -> {
      String actual = got.getKvs().isEmpty() ? "" : got.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
      if (!actual.equals(f.value())) {
        throw new FencedException(f, actual);
      }
      return null;
    }));
  }

  /** The object, or empty if there is none of this kind and name. */
  public <O extends FerryObject<O, S, T>, S, T> CompletableFuture<Optional<O>> get(
      Kind<O, S, T> kind, String name) {
    return handOff(() -> connection.client.getKVClient().get(keys.key(kind, name))
        .thenApply(r -> r.getKvs().stream().findFirst().map(kv -> decode(kind, kv))));
  }

  /** The objects of a kind whose labels match, sorted by name, with the revision of the read. */
  public <O extends FerryObject<O, S, T>, S, T> CompletableFuture<ObjectList<O>> list(
      Kind<O, S, T> kind, LabelSelector selector) {
    return list(kind, selector, 0);
  }

  /** As {@link #list(Kind, LabelSelector)}, read at {@code revision} (0: the newest). */
  <O extends FerryObject<O, S, T>, S, T> CompletableFuture<ObjectList<O>> list(
      Kind<O, S, T> kind, LabelSelector selector, long revision) {
    GetOption option = GetOption.builder().isPrefix(true).withRevision(revision)
        .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.ASCEND).build();
    // etcd cannot filter on values: the selector is applied here.
    return handOff(() -> connection.client.getKVClient().get(keys.prefix(kind), option)
        .thenApply(r -> new ObjectList<>(
            r.getKvs().stream()
                .map(kv -> decode(kind, kv))
                .filter(o -> selector.matches(o.metadata().labels()))
                .toList(),
            r.getHeader().getRevision())));
  }

  /**
   * One page of the objects of a kind whose labels match, sorted by name: at most
   * {@code request.limit()} of them, read with etcd's range limit (a page's worth of keys at a
   * time, never the whole kind), at {@code request.revision()} so that the pages of one list
   * are one consistent snapshot.
   *
   * @throws HistoryCompactedException (through the future) if the revision of a continued list
   *     was compacted meanwhile: the caller starts the list again
   * @throws IllegalArgumentException (through the future) if that revision is in the future, or
   *     {@code request.after()} cannot be a name
   */
  public <O extends FerryObject<O, S, T>, S, T> CompletableFuture<ListPage<O>> listPage(
      Kind<O, S, T> kind, LabelSelector selector, PageRequest request) {
    return new PagedReads(this).page(kind, selector, request);
  }

  /** How many objects of a kind exist now, counted by etcd without reading them. */
  public CompletableFuture<Long> count(Kind<?, ?, ?> kind) {
    return new PagedReads(this).count(kind);
  }

  /**
   * Stores a new object. The store sets {@code uid}, {@code creationTimestamp},
   * {@code generation} 1 and {@code resourceVersion}; whatever the input had there is ignored.
   * The status is stored as given (an agent registers its Node with what it observed).
   *
   * @return the stored object
   * @throws AlreadyExistsException (through the future) if an object of that kind and name exists
   */
  public <O extends FerryObject<O, S, T>, S, T> CompletableFuture<O> create(O object) {
    return create(object, 0);
  }

  /**
   * Stores a new object attached to an etcd lease: it is deleted when the lease expires or is
   * revoked. Later updates keep it attached. {@code leaseId} 0 means no lease.
   */
  public <O extends FerryObject<O, S, T>, S, T> CompletableFuture<O> create(O object, long leaseId) {
    return handOff(() -> {
      Kind<?, ?, ?> kind = kindOf(object);
      ObjectMeta m = object.metadata();
      O toStore = object.withMetadata(new ObjectMeta(m.name(), m.labels(), m.annotations(),
          UUID.randomUUID().toString(), 1, 0, now(), null, m.finalizers()));
      ByteSequence key = keys.key(kind, m.name());
      Cmp absent = new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0));
      PutOption put = PutOption.builder().withLeaseId(leaseId).build();
      ByteSequence value = ObjectCodec.encode(toStore);
      return index.put(kind, toStore, value, 0).thenCompose(extra ->
          write(List.of(key), with(absent, extra.compares()), with(Op.put(key, value, put), extra.ops()))
          .thenApply(r -> {
            if (r.isSucceeded()) {
              connection.recent.remember(key, new Seen(value, r.getHeader().getRevision(), leaseId));
              extra.stored(connection, r.getHeader().getRevision());
              return withVersion(toStore, r.getHeader().getRevision());
            }
            stored(r);
            throw new AlreadyExistsException(kind.name(), m.name());
          }));
    });
  }

  /**
   * Replaces an object's metadata and spec, if it was not written since the caller read it
   * ({@code metadata.resourceVersion} must be what the caller read; 0 is refused). The stored
   * {@code uid}, {@code creationTimestamp} and {@code status} are kept whatever the input says;
   * {@code generation} goes up by one, in the same transaction, if and only if the spec changed.
   *
   * @return the stored object
   * @throws ConflictException (through the future) if the object was written since
   * @throws NotFoundException (through the future) if it does not exist
   */
  public <O extends FerryObject<O, S, T>, S, T> CompletableFuture<O> update(O object) {
    return replace(object, this::mergeSpec);
  }

  /**
   * Replaces only an object's status, under the same resourceVersion precondition as
   * {@link #update}. Metadata, spec and generation stay as stored.
   */
  public <O extends FerryObject<O, S, T>, S, T> CompletableFuture<O> updateStatus(O object) {
    return replace(object, (stored, wanted) -> stored.withStatus(wanted.status()));
  }

  /**
   * Deletes an object.
   *
   * @param expectedResourceVersion the version the caller read, or 0 to delete whatever is there
   * @return whether there was an object to delete
   * @throws ConflictException (through the future) if the object was written since
   */
  public CompletableFuture<Boolean> delete(Kind<?, ?, ?> kind, String name, long expectedResourceVersion) {
    return handOff(() -> delete(kind, name, expectedResourceVersion, DELETE_ATTEMPTS));
  }

  /** A delete whose object stayed as asked but whose index entries moved is tried again this often. */
  private static final int DELETE_ATTEMPTS = 5;

  private CompletableFuture<Boolean> delete(Kind<?, ?, ?> kind, String name, long expected, int attempts) {
    ByteSequence key = keys.key(kind, name);
    List<Cmp> unchanged = expected == 0 ? List.of()
        : List.of(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expected)));
    return index.delete(kind, name).thenCompose(extra ->
        write(List.of(key), with(unchanged, extra.compares()), with(Op.delete(key, DeleteOption.DEFAULT), extra.ops()))
        .thenCompose(r -> {
          if (r.isSucceeded()) {
            connection.recent.forget(key);
            extra.deleted(connection);
            return CompletableFuture.completedFuture(r.getDeleteResponses().get(0).getDeleted() > 0);
          }
          Optional<KeyValue> current = stored(r);
          boolean asAsked = current.isPresent() && (expected == 0 || current.get().getModRevision() == expected);
          if (asAsked && attempts > 1) {
            // Only its holders list moved (a write in between): read it again.
            return delete(kind, name, expected, attempts - 1);
          }
          if (current.isPresent()) {
            throw new ConflictException(kind.name(), name, expected, current.get().getModRevision());
          }
          return CompletableFuture.completedFuture(false);
        }));
  }

  /**
   * Checks that etcd still holds the history of a kind from {@code revision} on, so that a
   * watch from there misses nothing. {@link #watch} repairs a compacted start silently (by
   * re-listing); a caller that must tell its own client to re-list (the API's watch) asks here
   * first.
   *
   * @throws HistoryCompactedException (through the future) if {@code revision} was compacted
   * @throws IllegalArgumentException (through the future) if {@code revision} is in the future
   */
  public CompletableFuture<Void> checkHistory(Kind<?, ?, ?> kind, long revision) {
    if (revision < 1) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("a resourceVersion is 1 or more, not " + revision));
    }
    GetOption atRevision = GetOption.builder().isPrefix(true).withCountOnly(true)
        .withRevision(revision).build();
    CompletableFuture<Void> read = handOff(() ->
        connection.client.getKVClient().get(keys.prefix(kind), atRevision).thenApply(r -> null));
    return PagedReads.atRevision(read, revision, "resourceVersion " + revision,
        etcdMessage -> new HistoryCompactedException(revision, etcdMessage));
  }

  /**
   * A new lease; keys attached to it vanish {@code ttl} after its last keep-alive. etcd counts
   * in whole seconds (at least 1) and may raise a short TTL to its minimum.
   */
  public CompletableFuture<Long> grantLease(Duration ttl) {
    return handOff(() -> connection.client.getLeaseClient().grant(Math.max(1, ttl.toSeconds()))
        .thenApply(r -> r.getID()));
  }

  /** Keeps a lease alive until closed, renewing it at a third of its TTL. */
  public Subscription keepAlive(long leaseId) {
    CloseableClient keepAlive = connection.client.getLeaseClient().keepAlive(leaseId,
        new StreamObserver<>() {
          @Override
          public void onNext(io.etcd.jetcd.lease.LeaseKeepAliveResponse response) {}

          @Override
          public void onError(Throwable error) {
            LOG.warn("keep-alive of lease {} failed: {}", leaseId, error.toString());
          }

          @Override
          public void onCompleted() {}
        });
    return keepAlive::close;
  }

  /** Ends a lease now, deleting the keys attached to it. */
  public CompletableFuture<Void> revokeLease(long leaseId) {
    return handOff(() -> connection.client.getLeaseClient().revoke(leaseId).thenApply(r -> null));
  }

  /**
   * Watches the objects of a kind from a revision on (at least 1; inclusive). If that revision
   * was compacted, or is by the time the watch resumes after losing etcd, the watch re-lists and
   * delivers the difference to what it has delivered so far (a watch started this way does not
   * know what its caller knew before {@code fromRevision}; {@link #resume} does).
   */
  public <O extends FerryObject<O, S, T>, S, T> Subscription watch(
      Kind<O, S, T> kind, long fromRevision, WatchListener<O> listener) {
    if (fromRevision < 1) {
      throw new IllegalArgumentException("a watch starts at revision 1 or later, not " + fromRevision);
    }
    return track(WatchLoop.start(this, new KindWatch<>(kind, LabelSelector.EVERYTHING, listener),
        new ObjectList<>(List.of(), fromRevision - 1)));
  }

  /**
   * Lists the objects of a kind that match, delivers them as ADDED, calls
   * {@link WatchListener#onSynced}, then delivers every later change. Objects that stop matching
   * the selector are delivered as DELETED. Survives etcd restarts and compactions (re-listing,
   * with DELETED for objects that vanished meanwhile).
   */
  public <O extends FerryObject<O, S, T>, S, T> Subscription listAndWatch(
      Kind<O, S, T> kind, LabelSelector selector, WatchListener<O> listener) {
    return listAndWatch(List.of(new KindWatch<>(kind, selector, listener)));
  }

  /**
   * As {@link #listAndWatch(Kind, LabelSelector, WatchListener)} for several kinds at once: every
   * kind is listed at the same revision, and every change after it reaches the listeners in
   * revision order across the kinds, so that the last revision any listener heard of is one
   * from which a watch of these kinds misses nothing.
   */
  public Subscription listAndWatch(List<KindWatch<?, ?, ?>> kinds) {
    return track(WatchLoop.listFirst(this, kinds));
  }

  /**
   * Continues a watch from what the caller already knows: {@code known} (a list it read, or the
   * state it built from earlier events) at {@code known.revision()}. Delivers every change after
   * that revision; if the history since was compacted, re-lists and delivers the difference,
   * including DELETED for known objects that are gone.
   */
  public <O extends FerryObject<O, S, T>, S, T> Subscription resume(
      Kind<O, S, T> kind, LabelSelector selector, ObjectList<O> known, WatchListener<O> listener) {
    return track(WatchLoop.start(this, new KindWatch<>(kind, selector, listener), known));
  }

  /**
   * Delivers every change to several kinds after {@code revision}, in revision order across the
   * kinds, to a caller that knows nothing of the objects (the first change it hears of an object
   * is ADDED). If the history since was compacted, re-lists as {@link #listAndWatch(List)}.
   */
  public Subscription resume(List<KindWatch<?, ?, ?>> kinds, long revision) {
    return track(WatchLoop.start(this, kinds, revision));
  }

  /**
   * As {@link #listAndWatch(List)}, over the objects that concern {@code node} only ({@link
   * NodeIndex}): one etcd watch of the node's index prefix, so that another node's objects never
   * reach it. An object that stops concerning the node, or is deleted, is delivered as DELETED
   * with its last value; the watch cannot tell the two apart (ask {@link #get}). The objects
   * delivered carry their own {@code resourceVersion} (their entries are written in the same
   * transaction), but writes go to the objects, through this store, as always. Survives etcd
   * restarts and compactions as {@link #listAndWatch(List)} does, re-listing the node's prefix.
   *
   * @throws IllegalArgumentException if a kind is not indexed by node, or {@code node} is no node name
   */
  public Subscription watchNode(String node, List<KindWatch<?, ?, ?>> kinds) {
    kinds.stream().filter(k -> !NodeIndex.indexes(k.kind())).findFirst().ifPresent(k -> {
      throw new IllegalArgumentException(k.kind() + " is not indexed by node");
    });
    return track(WatchLoop.listFirst(new EtcdStore(connection, keys.node(node), Optional.empty(), false), kinds));
  }

  /**
   * Makes the node index agree with every Dataset and Migration ({@link NodeIndexRepair}): for
   * objects written before the index existed, or by a writer that did not keep it. Each object
   * repaired is written again (same value) in the transaction that rewrites its entries, under
   * the compare that it did not change meanwhile and this store's fence.
   *
   * @return how many objects were repaired (a stray entry of an object that is gone counts as one)
   */
  public CompletableFuture<Integer> repairNodeIndex() {
    return handOff(() -> new NodeIndexRepair(this, index).run());
  }

  /** Closes the connection and its watches; a fenced view's close does nothing. */
  @Override
  public void close() {
    if (ownsConnection) {
      connection.close();
    }
  }

  Connection connection() {
    return connection;
  }

  KeySpace keys() {
    return keys;
  }

  /**
   * Runs a request and completes its result on the store's pool, with etcd's failures as
   * StoreExceptions and a request refused before it was sent as a failed future too.
   */
  <V> CompletableFuture<V> handOff(Supplier<CompletableFuture<V>> request) {
    CompletableFuture<V> inner;
    try {
      inner = request.get();
    } catch (RuntimeException e) {
      inner = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<V> out = new CompletableFuture<>();
    // jetcd waits for an absent etcd as long as it is away: a request gets a deadline instead.
    inner.orTimeout(connection.requestTimeout.toMillis(), TimeUnit.MILLISECONDS).whenCompleteAsync((value, error) -> {
      if (error == null) {
        out.complete(value);
      } else {
        out.completeExceptionally(translate(error));
      }
    }, connection::execute);
    return out;
  }

  private Subscription track(Subscription watch) {
    connection.watches.add(watch);
    return () -> {
      connection.watches.remove(watch);
      watch.close();
    };
  }

  private <O extends FerryObject<O, S, T>, S, T> CompletableFuture<O> replace(
      O wanted, BinaryOperator<O> merge) {
    return handOff(() -> prepare(wanted, merge).thenCompose(p ->
        write(List.of(p.key()), p.compares(), p.ops()).thenApply(r -> {
          if (r.isSucceeded()) {
            return p.stored(connection, r);
          }
          throw p.refusal(stored(r, 1).get(0));
        })));
  }

  /**
   * Two writes in one etcd transaction, both or neither: {@code specOf} replaces an object's
   * metadata and spec as {@link #update} does, and {@code statusOf} another object's status as
   * {@link #updateStatus} does, each under its own resourceVersion precondition (and the fence).
   * For a step whose two halves must never be seen apart, e.g. a migration's final phase and the
   * release of its dataset's lock.
   *
   * @return both objects as stored
   * @throws ConflictException (through the future) if either was written since its caller read it
   * @throws NotFoundException (through the future) if either is gone
   */
  public <A extends FerryObject<A, SA, TA>, SA, TA, B extends FerryObject<B, SB, TB>, SB, TB>
      CompletableFuture<Pair<A, B>> updateWithStatusOf(A specOf, B statusOf) {
    return handOff(() -> prepare(specOf, this::mergeSpec).thenCompose(a ->
        prepare(statusOf, (stored, wanted) -> stored.withStatus(wanted.status())).thenCompose(b ->
            write(List.of(a.key(), b.key()), with(a.compares(), b.compares()), with(a.ops(), b.ops()))
                .thenApply(r -> {
                  if (r.isSucceeded()) {
                    return new Pair<>(a.stored(connection, r), b.stored(connection, r));
                  }
                  List<Optional<KeyValue>> now = stored(r, 2);
                  boolean aChanged = now.get(0).map(kv -> kv.getModRevision() != a.expected()).orElse(true);
                  throw aChanged ? a.refusal(now.get(0)) : b.refusal(now.get(1));
                }))));
  }

  /** Two objects written together by {@link #updateWithStatusOf}. */
  public record Pair<A, B>(A first, B second) {}

  /** {@link #update}'s merge: the wanted metadata and spec over what is stored. */
  private <O extends FerryObject<O, S, T>, S, T> O mergeSpec(O stored, O wanted) {
    ObjectMeta s = stored.metadata();
    ObjectMeta w = wanted.metadata();
    long generation = s.generation() + (ObjectCodec.sameSpec(stored, wanted) ? 0 : 1);
    return wanted
        .withMetadata(new ObjectMeta(s.name(), w.labels(), w.annotations(), s.uid(), generation,
            0, s.creationTimestamp(), w.deletionTimestamp(), w.finalizers()))
        .withStatus(stored.status());
  }

  /** One object's half of a replacing write: what to compare, what to put, how to answer. */
  private record Prepared<O extends FerryObject<O, ?, ?>>(Kind<?, ?, ?> kind, String name, ByteSequence key,
      long expected, O next, ByteSequence value, long lease, NodeIndexWrites.Extra index) {

    /** The object unchanged since read, and its index entries as read. */
    List<Cmp> compares() {
      return with(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expected)), index.compares());
    }

    /** The object's put and its index entries' writes. */
    List<Op> ops() {
      // A put without the lease would detach the key from it (a Node would stop expiring).
      return with(Op.put(key, value, PutOption.builder().withLeaseId(lease).build()), index.ops());
    }

    O stored(Connection connection, TxnResponse r) {
      connection.recent.remember(key, new Seen(value, r.getHeader().getRevision(), lease));
      index.stored(connection, r.getHeader().getRevision());
      return withVersion(next, r.getHeader().getRevision());
    }

    StoreException refusal(Optional<KeyValue> now) {
      return now.isPresent()
          ? new ConflictException(kind.name(), name, expected, now.get().getModRevision())
          : new NotFoundException(kind.name(), name);
    }
  }

  private <O extends FerryObject<O, S, T>, S, T> CompletableFuture<Prepared<O>> prepare(O wanted, BinaryOperator<O> merge) {
    Kind<?, ?, ?> kind = kindOf(wanted);
    String name = wanted.name();
    long expected = wanted.metadata().resourceVersion();
    if (expected <= 0) {
      throw new IllegalArgumentException(kind + " " + name
          + ": an update needs the resourceVersion the caller read, not " + expected);
    }
    @SuppressWarnings("unchecked")
    Class<O> type = (Class<O>) wanted.getClass();
    ByteSequence key = keys.key(kind, name);
    return current(key, kind, name, expected).thenCompose(current -> {
      O next = merge.apply(ObjectCodec.decode(type, key, current.value(), current.modRevision()), wanted);
      ByteSequence value = ObjectCodec.encode(next);
      return index.put(kind, next, value, expected).thenApply(extra ->
          new Prepared<>(kind, name, key, expected, next, value, current.lease(), extra));
    });
  }

  /**
   * The key's value at {@code expected}, the revision the caller read: from what this connection
   * saw last when that is the same revision (the write's compare still refuses anything newer),
   * else read from etcd.
   */
  private CompletableFuture<Seen> current(ByteSequence key, Kind<?, ?, ?> kind, String name, long expected) {
    Optional<Seen> known = connection.recent.at(key, expected);
    if (known.isPresent()) {
      return CompletableFuture.completedFuture(known.get());
    }
    return connection.client.getKVClient().get(key).thenApply(got -> {
      KeyValue kv = got.getKvs().stream().findFirst().orElseThrow(() -> new NotFoundException(kind.name(), name));
      connection.recent.remember(kv);
      if (kv.getModRevision() != expected) {
        throw new ConflictException(kind.name(), name, expected, kv.getModRevision());
      }
      return Seen.of(kv);
    });
  }

  /** Decodes a value read from etcd, and remembers it for a later update. */
  <O extends FerryObject<O, S, T>, S, T> O decode(Kind<O, S, T> kind, KeyValue kv) {
    O object = ObjectCodec.decode(kind.type(), kv);
    connection.recent.remember(kv);
    return object;
  }

  /** A key deleted, as a watch saw it. */
  void forget(ByteSequence key) {
    connection.recent.forget(key);
  }

  /**
   * One write: {@code then} if the objects' compares and the fence (if any) hold; else reads
   * back the objects and the fence, for {@link #stored} to explain the failure.
   */
  private CompletableFuture<TxnResponse> write(List<ByteSequence> objectKeys, List<Cmp> compare, List<Op> then) {
    List<Cmp> compares = new ArrayList<>(compare);
    List<Op> otherwise = new ArrayList<>();
    objectKeys.forEach(k -> otherwise.add(Op.get(k, GetOption.DEFAULT)));
    fence.ifPresent(f -> {
      compares.add(new Cmp(bytes(f.key()), Cmp.Op.EQUAL, CmpTarget.value(bytes(f.value()))));
      otherwise.add(Op.get(bytes(f.key()), GetOption.DEFAULT));
    });
    return connection.client.getKVClient().txn()
        .If(compares.toArray(Cmp[]::new))
        .Then(then.toArray(Op[]::new))
        .Else(otherwise.toArray(Op[]::new))
        .commit();
  }

  /**
   * A write of index entries alone ({@link NodeIndexRepair}), under this store's fence.
   *
   * @return whether the compares held
   * @throws FencedException (through the future) if the fence moved
   */
  CompletableFuture<Boolean> writeIndex(List<Cmp> compares, List<Op> then) {
    return write(List.of(), compares, then).thenApply(r -> {
      if (!r.isSucceeded()) {
        stored(r, 0);
      }
      return r.isSucceeded();
    });
  }

  private static <T> List<T> with(T first, List<T> rest) {
    return with(List.of(first), rest);
  }

  private static <T> List<T> with(List<T> first, List<T> rest) {
    List<T> all = new ArrayList<>(first);
    all.addAll(rest);
    return all;
  }

  /**
   * After a failed {@link #write} of {@code objects} keys: throws FencedException if the fence
   * moved (that takes precedence: a deposed leader must learn it is deposed), else returns what
   * is stored under each key.
   */
  private List<Optional<KeyValue>> stored(TxnResponse failed, int objects) {
    if (fence.isPresent()) {
      List<KeyValue> fenceKvs = failed.getGetResponses().get(objects).getKvs();
      String actual = fenceKvs.isEmpty() ? "" : fenceKvs.get(0).getValue().toString(StandardCharsets.UTF_8);
      if (!actual.equals(fence.get().value())) {
        throw new FencedException(fence.get(), actual);
      }
    }
    List<Optional<KeyValue>> out = new ArrayList<>();
    for (int i = 0; i < objects; i++) {
      out.add(failed.getGetResponses().get(i).getKvs().stream().findFirst());
    }
    return out;
  }

  private Optional<KeyValue> stored(TxnResponse failed) {
    return stored(failed, 1).get(0);
  }

  private static <O extends FerryObject<O, ?, ?>> O withVersion(O object, long revision) {
    return object.withMetadata(object.metadata().withResourceVersion(revision));
  }

  private static Kind<?, ?, ?> kindOf(FerryObject<?, ?, ?> object) {
    return Kind.find(object.kind())
        .orElseThrow(() -> new IllegalArgumentException("unknown kind " + object.kind()));
  }

  private static long parseEpoch(String key, KeyValue kv) {
    String value = kv.getValue().toString(StandardCharsets.UTF_8);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new StoreException("fence key " + key + " holds \"" + value + "\", not an epoch number");
    }
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private Throwable translate(Throwable error) {
    Throwable cause = Failures.cause(error);
    if (cause instanceof TimeoutException) {
      return new StoreException("etcd did not answer within " + connection.requestTimeout.toMillis() + " ms", cause);
    }
    if (cause instanceof StoreException || cause instanceof IllegalArgumentException) {
      return cause;
    }
    return new StoreException("etcd request failed: " + cause.getMessage(), cause);
  }
}
