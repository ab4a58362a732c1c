package dev.ferry.agent.transfer;

import dev.ferry.agent.metrics.AgentProbes;
import dev.ferry.agent.metrics.TransferBytes;
import dev.ferry.api.metrics.PrometheusMetrics;
import dev.ferry.api.transfer.AgentRequest;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.api.transfer.TransferPlanner;
import dev.ferry.api.transfer.TransferStep;
import dev.ferry.api.transfer.TransferTicket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.agent.testing.DataFiles;
import dev.ferry.api.transfer.TransferStep.FullSend;
import dev.ferry.api.transfer.TransferStep.IncrementalSend;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.StreamingProcess;
import dev.ferry.agent.zfs.ZfsCli;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsLayout;
import dev.ferry.api.model.Snapshot;
import dev.ferry.testing.ZfsPoolExtension;
import dev.ferry.testing.ZfsPoolExtension.Pool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one machine: node1 (127.0.1.1) holds the primary copy, node2 (127.0.1.2) runs the
 * transfer server; each has its own zfs-fuse pool.
 */
class TransferTest {

  private static final long MIB = 1 << 20;
  private static final DatasetName DB = DatasetName.of("db");
  private static final ClusterKey KEY = ClusterKey.random();
  private static final String NODE1 = "127.0.1.1";
  private static final String NODE2 = "127.0.1.2";
  private static final String UID = "0d6c1f52-7a3e-4b8f-9c10-5e2d4a6b8c9f";
  /** What node1's agent signs its requests with. */
  private static final AgentRequest AS_NODE1 = new AgentRequest(KEY, "node1", Clock.systemUTC());

  @TempDir
  Path targetState;

  @RegisterExtension
  final ZfsPoolExtension pools = ZfsPoolExtension.perTest();

  private Vertx vertx;
  private ZfsDriver source;
  private Path sourceData;
  private final Set<DatasetName> primaryOnNode2 = ConcurrentHashMap.newKeySet();
  private final List<TransferProgress> received = new CopyOnWriteArrayList<>();
  private final List<TransferProgress> sent = new CopyOnWriteArrayList<>();
  private TransferServer server;
  private TransferClient client;
  private int port;

  private ZfsDriver target;
  private Path targetData;

  final PrometheusMetrics metrics = new PrometheusMetrics();
  final TransferBytes counted = TransferBytes.register(metrics.registry());

  @BeforeEach
  void twoNodes(Pool node1Pool) throws Exception {
    vertx = Vertx.vertx();
    source = driver(node1Pool);
    sourceData = node1Pool.mountRoot().resolve("db");
    client = new TransferClient(vertx, source, NODE1, counted, Optional.empty(), KEY, AS_NODE1, TransferCap.unlimited());
    startTarget(pools.create());
  }

  private void startTarget(Pool pool) throws Exception {
    target = driver(pool);
    targetData = pool.mountRoot().resolve("db");
    serveTarget(0);
  }

  /** (Re)starts node2's transfer server on {@code port} (0: any), as an agent start does. */
  private void serveTarget(int at) throws Exception {
    serveTarget(at, TransferServer.DEFAULT_MAX_RECEIVES);
  }

  /** The same, receiving at most {@code maxReceives} streams at once. */
  private void serveTarget(int at, int maxReceives) throws Exception {
    if (server != null) {
      get(server.close());
    }
    TransferReceiver receiver = new TransferReceiver(target, primaryOnNode2::contains);
    Clock clock = Clock.systemUTC();
    server = new TransferServer(vertx, new AgentRequest(KEY, "node2", clock),
        new TicketVerifier(KEY, "node2", clock, UsedNonces.open(targetState, clock)), receiver, received::add,
        counted, new AgentProbes(metrics, () -> true), maxReceives);
    port = get(server.listen(NODE2, at));
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      get(vertx.close());
    }
  }

  @Test
  void fullSendAndThreeIncrementalRoundsGiveAnIdenticalCopy() throws Exception {
    source.create(DB, 128 * MIB);
    DataFiles.write(sourceData.resolve("base.bin"), 8 * MIB, 1);
    Files.createDirectories(sourceData.resolve("dir"));
    Files.writeString(sourceData.resolve("dir/todo.txt"), "buy milk\n");
    source.snapshot(DB, "r0");

    TransferResult first = transferNext();
    assertThat(first.bytes()).isGreaterThan(8 * MIB);

    for (int round = 1; round <= 3; round++) {
      DataFiles.write(sourceData.resolve("round-" + round + ".bin"), round * MIB, 10 + round);
      Files.writeString(sourceData.resolve("dir/todo.txt"), "round " + round + "\n", java.nio.file.StandardOpenOption.APPEND);
      if (round == 2) {
        Files.delete(sourceData.resolve("round-1.bin"));
      }
      source.snapshot(DB, "r" + round);
      transferNext();
    }

    assertThat(target.snapshots(DB)).isEqualTo(source.snapshots(DB));
    assertThat(target.state(DB).mounted()).as("a standby is never mounted").isFalse();
    target.mount(DB);
    assertThat(DataFiles.checksums(targetData))
        .isEqualTo(DataFiles.checksums(sourceData))
        .containsKeys("base.bin", "dir/todo.txt", "round-2.bin", "round-3.bin")
        .doesNotContainKey("round-1.bin");
    assertThat(target.state(DB).readonly()).isTrue();
    assertThat(TransferPlanner.plan(source.snapshots(DB), Optional.of(target.snapshots(DB))))
        .isInstanceOf(TransferStep.UpToDate.class);
    assertThat(sent).isNotEmpty();
    assertThat(received).isNotEmpty();
  }

  @Test
  void bothSidesCountTheSameBytes() throws Exception {
    source.create(DB, 64 * MIB);
    DataFiles.write(sourceData.resolve("a.bin"), 4 * MIB, 2);
    source.snapshot(DB, "s1");

    TransferResult result = transferNext();

    assertThat(sent.get(sent.size() - 1).bytes()).isEqualTo(result.bytes());
    await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(received).last().extracting(TransferProgress::bytes).isEqualTo(result.bytes()));
  }

  @Test
  void refusesStreamsWithoutAValidTicketAndLeavesThePoolAlone() throws Exception {
    source.create(DB, 64 * MIB);
    DataFiles.write(sourceData.resolve("a.bin"), 1 * MIB, 3);
    Snapshot s1 = source.snapshot(DB, "s1");
    transferNext();
    DataFiles.write(sourceData.resolve("b.bin"), 1 * MIB, 4);
    Snapshot s2 = source.snapshot(DB, "s2");
    List<Snapshot> before = target.snapshots(DB);

    HttpResponse<String> noTicket = rawPost("/v1/transfers/db", Optional.empty());
    assertThat(noTicket.statusCode()).isEqualTo(401);
    assertThat(noTicket.body()).contains("TicketMissing");

    TransferTicket valid = ticket(Optional.of(s1), s2, Clock.systemUTC());
    assertRefused(valid.encode(ClusterKey.random()), 403, "signature invalid");

    TransferTicket expired = ticket(Optional.of(s1), s2, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
    assertRefused(expired.encode(KEY), 403, "expired");

    TransferTicket forAnotherDataset = TransferTicket.issue(UID, 0, "other", "node1", "node2", s1.guid(), s2.name(),
        Duration.ofMinutes(5), Clock.systemUTC());
    assertRefused(forAnotherDataset.encode(KEY), 403, "for dataset other");

    String used = valid.encode(KEY);
    sendWith(used, Optional.of("s1"), "s2");
    DataFiles.write(sourceData.resolve("c.bin"), 1 * MIB, 5);
    source.snapshot(DB, "s3");
    assertRefused(used, 403, "already used");

    assertThat(target.snapshots(DB)).containsExactly(before.get(0), s2);
    assertThat(source.snapshots(DB)).extracting(Snapshot::name).containsExactly("s1", "s2", "s3");
  }

  /** Every route of the agent, as an attacker on the network would call it. */
  private static final List<String[]> ROUTES = List.of(
      new String[] {"GET", "/v1/datasets/db/snapshots"},
      new String[] {"POST", "/v1/transfers/db"},
      new String[] {"GET", "/v1/transfers/db/receipt"},
      new String[] {"GET", "/v1/no-such-route"});

  @Test
  void everyRouteAnswersOnlyAHolderOfTheClusterKey() throws Exception {
    source.create(DB, 64 * MIB);
    Snapshot s1 = source.snapshot(DB, "s1");
    String ticket = ticket(Optional.empty(), s1, Clock.systemUTC()).encode(KEY);
    AgentRequest otherKey = new AgentRequest(ClusterKey.random(), "node1", Clock.systemUTC());

    for (String[] route : ROUTES) {
      String method = route[0];
      String path = route[1];
      HttpResponse<String> none = raw(method, path, Optional.of(ticket), Optional.empty(), new byte[0]);
      assertThat(none.statusCode()).as("%s %s without a credential", method, path).isEqualTo(401);
      assertThat(none.body()).contains("Unauthenticated").contains("no Authorization");

      HttpResponse<String> wrongKey = raw(method, path, Optional.of(ticket),
          Optional.of(otherKey.sign("node2", method, path, ticket)), new byte[0]);
      assertThat(wrongKey.statusCode()).as("%s %s signed with another key", method, path).isEqualTo(401);
      assertThat(wrongKey.body()).contains("not signed with this cluster's key");

      HttpResponse<String> bearer = raw(method, path, Optional.of(ticket), Optional.of("Bearer " + ticket), new byte[0]);
      assertThat(bearer.statusCode()).as("%s %s with the ticket as a bearer token", method, path).isEqualTo(401);
    }
    assertThat(target.exists(DB)).isFalse();
  }

  /** Whoever reads a Migration's status can copy its ticket: without the cluster key it sends nothing. */
  @Test
  void aTicketWithoutTheSendersCredentialReceivesNothingAndStaysGoodForTheSender() throws Exception {
    source.create(DB, 64 * MIB);
    DataFiles.write(sourceData.resolve("a.bin"), 1 * MIB, 3);
    Snapshot s1 = source.snapshot(DB, "s1");
    String ticket = ticket(Optional.empty(), s1, Clock.systemUTC()).encode(KEY);
    byte[] stream;
    try (StreamingProcess send = source.send(DB, Optional.empty(), "s1")) {
      stream = send.output().readAllBytes();
    }

    HttpResponse<String> unsigned = raw("POST", "/v1/transfers/db", Optional.of(ticket), Optional.empty(), stream);
    HttpResponse<String> forged = raw("POST", "/v1/transfers/db", Optional.of(ticket), Optional.of(
        new AgentRequest(ClusterKey.random(), "node1", Clock.systemUTC()).sign("node2", "POST", "/v1/transfers/db",
            ticket)), stream);
    String otherTicket = ticket(Optional.empty(), s1, Clock.systemUTC()).encode(KEY);
    HttpResponse<String> signedForAnotherTicket = raw("POST", "/v1/transfers/db", Optional.of(ticket),
        Optional.of(AS_NODE1.sign("node2", "POST", "/v1/transfers/db", otherTicket)), stream);
    HttpResponse<String> signedForNode3 = raw("POST", "/v1/transfers/db", Optional.of(ticket),
        Optional.of(AS_NODE1.sign("node3", "POST", "/v1/transfers/db", ticket)), stream);

    assertThat(List.of(unsigned, forged, signedForAnotherTicket, signedForNode3))
        .allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(401));
    assertThat(target.exists(DB)).as("zfs list on node2 shows no db").isFalse();
    assertThat(received).isEmpty();

    TransferResult result = sendWith(ticket, Optional.empty(), "s1");
    assertThat(result.guid()).isEqualTo(s1.guid());
    assertThat(target.snapshots(DB)).containsExactly(s1);
  }

  /** Another key holder (any agent) can send only the streams whose ticket names it as the sender. */
  @Test
  void aTicketSentByAnotherNodeThanItNamesIsRefused() throws Exception {
    source.create(DB, 64 * MIB);
    Snapshot s1 = source.snapshot(DB, "s1");
    String ticket = ticket(Optional.empty(), s1, Clock.systemUTC()).encode(KEY);
    AgentRequest asNode3 = new AgentRequest(KEY, "node3", Clock.systemUTC());

    HttpResponse<String> fromNode3 = raw("POST", "/v1/transfers/db", Optional.of(ticket),
        Optional.of(asNode3.sign("node2", "POST", "/v1/transfers/db", ticket)), new byte[64 * 1024]);

    assertThat(fromNode3.statusCode()).isEqualTo(403);
    assertThat(fromNode3.body()).contains("TicketRejected").contains("from node node1, but node node3 sent it");
    assertThat(target.exists(DB)).isFalse();
  }

  /** A captured stream (ticket and all) sent again, also after the target's agent restarted, rolls nothing back. */
  @Test
  void aReplayedStreamIsRefusedAlsoAfterTheTargetRestarted() throws Exception {
    source.create(DB, 64 * MIB);
    DataFiles.write(sourceData.resolve("a.bin"), 1 * MIB, 3);
    Snapshot s1 = source.snapshot(DB, "s1");
    transferNext();
    DataFiles.write(sourceData.resolve("b.bin"), 1 * MIB, 4);
    Snapshot s2 = source.snapshot(DB, "s2");
    String ticket = ticket(Optional.of(s1), s2, Clock.systemUTC()).encode(KEY);
    byte[] stream;
    try (StreamingProcess send = source.send(DB, Optional.of("s1"), "s2")) {
      stream = send.output().readAllBytes();
    }
    String authorization = AS_NODE1.sign("node2", "POST", "/v1/transfers/db", ticket);
    HttpResponse<String> first = raw("POST", "/v1/transfers/db", Optional.of(ticket), Optional.of(authorization), stream);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    DataFiles.write(sourceData.resolve("c.bin"), 1 * MIB, 5);
    Snapshot s3 = source.snapshot(DB, "s3");
    transferNext();
    assertThat(target.snapshots(DB)).containsExactly(s1, s2, s3);

    HttpResponse<String> replayed = raw("POST", "/v1/transfers/db", Optional.of(ticket), Optional.of(authorization),
        stream);
    get(server.close());
    serveTarget(port);
    HttpResponse<String> afterRestart = raw("POST", "/v1/transfers/db", Optional.of(ticket), Optional.of(
        AS_NODE1.sign("node2", "POST", "/v1/transfers/db", ticket)), stream);

    assertThat(List.of(replayed, afterRestart)).allSatisfy(r -> {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
      assertThat(r.body()).contains("already used");
    });
    assertThat(target.snapshots(DB)).as("node2 was not rolled back to s2").containsExactly(s1, s2, s3);
  }

  @Test
  void theTargetSignsAReceiptForWhatItHoldsAndOnlyThat() throws Exception {
    source.create(DB, 64 * MIB);
    Snapshot s1 = source.snapshot(DB, "s1");
    String ticket = ticket(Optional.empty(), s1, Clock.systemUTC()).encode(KEY);
    assertThat(get(client.receipt(NODE2, port, ticket))).as("before the stream").isEmpty();

    sendWith(ticket, Optional.empty(), "s1");

    assertThat(get(client.receipt(NODE2, port, ticket))).contains(s1.guid());
    Snapshot s2 = source.snapshot(DB, "s2");
    assertThat(get(client.receipt(NODE2, port, ticket(Optional.of(s1), s2, Clock.systemUTC()).encode(KEY)))).isEmpty();
  }

  /**
   * The round that took the snapshot hands it to the client, which then sends without listing the
   * source's snapshots again: the target's answer is still checked against that snapshot's guid.
   */
  @Test
  void aStreamOfASnapshotTheCallerHoldsIsCheckedAgainstThatSnapshotsGuid() throws Exception {
    source.create(DB, 64 * MIB);
    Snapshot s1 = source.snapshot(DB, "s1");
    String ticket = ticket(Optional.empty(), s1, Clock.systemUTC()).encode(KEY);
    TransferRequest request = new TransferRequest(NODE2, port, ticket, DB, Optional.empty(), "s1", true);

    TransferResult result = get(client.send(request, s1, sent::add));

    assertThat(result.guid()).isEqualTo(s1.guid());
    assertThat(target.snapshots(DB)).extracting(Snapshot::guid).containsExactly(s1.guid());

    // A caller whose snapshot is not what went (another guid under the name) gets no success.
    source.snapshot(DB, "s2");
    String second = ticket(Optional.of(s1), source.snapshots(DB).get(1), Clock.systemUTC()).encode(KEY);
    Snapshot stale = new Snapshot("s2", "12345", s1.created());
    assertThatThrownBy(() -> get(client.send(new TransferRequest(NODE2, port, second, DB, Optional.of("s1"), "s2", true),
        stale, sent::add))).cause().isInstanceOfSatisfying(TransferRefusedException.class, e -> {
          assertThat(e.reason()).isEqualTo("SnapshotMismatch");
          assertThat(e.getMessage()).contains("12345");
        });
  }

  /** A target (or a man in the middle) that answers "received" without the cluster key is not believed. */
  @Test
  void aForgedReceiptIsNotTrusted() throws Exception {
    source.create(DB, 64 * MIB);
    Snapshot s1 = source.snapshot(DB, "s1");
    String ticket = ticket(Optional.empty(), s1, Clock.systemUTC()).encode(KEY);
    String forgedReceipt = dev.ferry.api.transfer.TransferReceipt.sign(ClusterKey.random(),
        TransferTicket.decode(ticket, KEY), s1.guid());
    io.vertx.core.http.HttpServer liar = vertx.createHttpServer().requestHandler(request -> request.body()
        .onComplete(body -> request.response().putHeader("Content-Type", "application/json").end(
            new io.vertx.core.json.JsonObject().put("dataset", "db").put("snapshot", "s1").put("guid", s1.guid())
                .put("bytes", 1).put("receipt", forgedReceipt).encode())));
    int liarPort = get(liar.listen(0, NODE2)).actualPort();

    assertThatThrownBy(() -> get(client.send(new TransferRequest(NODE2, liarPort, ticket, DB, Optional.empty(), "s1"),
        sent::add))).cause().isInstanceOfSatisfying(TransferRefusedException.class, e -> {
          assertThat(e.reason()).isEqualTo("ReceiptInvalid");
          assertThat(e.getMessage()).contains("not known to have arrived");
        });
    assertThatThrownBy(() -> get(client.receipt(NODE2, liarPort, ticket)))
        .cause().isInstanceOfSatisfying(TransferRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo("ReceiptInvalid"));
  }

  @Test
  void aStreamEndingAtAnotherSnapshotThanTheTicketNamesIsUndone() throws Exception {
    source.create(DB, 64 * MIB);
    DataFiles.write(sourceData.resolve("a.bin"), 1 * MIB, 3);
    Snapshot s1 = source.snapshot(DB, "s1");
    transferNext();
    DataFiles.write(sourceData.resolve("b.bin"), 1 * MIB, 4);
    source.snapshot(DB, "s2");
    Snapshot s3 = source.snapshot(DB, "s3");

    String ticketForS3 = ticket(Optional.of(s1), s3, Clock.systemUTC()).encode(KEY);
    assertThatThrownBy(() -> sendWith(ticketForS3, Optional.of("s1"), "s2"))
        .cause().isInstanceOfSatisfying(TransferRefusedException.class, e -> {
          assertThat(e.reason()).isEqualTo("SnapshotMismatch");
          assertThat(e.getMessage()).contains("ticket is for snapshot s3");
        });

    assertThat(target.snapshots(DB)).containsExactly(s1);
  }

  @Test
  void theClientKeepsWorkingAfterTheTargetRefusedStreams() throws Exception {
    source.create(DB, 64 * MIB);
    DataFiles.write(sourceData.resolve("a.bin"), 8 * MIB, 3);
    Snapshot s1 = source.snapshot(DB, "s1");
    String used = ticket(Optional.empty(), s1, Clock.systemUTC()).encode(KEY);
    sendWith(used, Optional.empty(), "s1");

    for (int i = 0; i < 8; i++) {
      assertThatThrownBy(() -> sendWith(used, Optional.empty(), "s1"))
          .cause().isInstanceOfSatisfying(TransferRefusedException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    assertThat(get(client.snapshots(NODE2, port, "node2", DB))).contains(List.of(s1));
  }

  @Test
  void refusesToReceiveIntoADatasetThisNodeIsPrimaryFor() throws Exception {
    source.create(DB, 64 * MIB);
    Snapshot s1 = source.snapshot(DB, "s1");
    primaryOnNode2.add(DB);

    assertThatThrownBy(() -> sendWith(ticket(Optional.empty(), s1, Clock.systemUTC()).encode(KEY), Optional.empty(), "s1"))
        .cause().isInstanceOfSatisfying(TransferRefusedException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.reason()).isEqualTo("TargetIsPrimary");
        });
    assertThat(target.exists(DB)).isFalse();
  }

  @Test
  void aTargetPoolTooSmallIsAClearErrorAndTheSourceIsUntouched() throws Exception {
    get(server.close());
    startTarget(pools.create(ZfsPoolExtension.MIN_SIZE));
    source.create(DB, 128 * MIB);
    DataFiles.write(sourceData.resolve("big.bin"), 48 * MIB, 6);
    Snapshot s1 = source.snapshot(DB, "s1");
    Map<String, String> sourceBefore = DataFiles.checksums(sourceData);

    assertThatThrownBy(() -> sendWith(ticket(Optional.empty(), s1, Clock.systemUTC()).encode(KEY), Optional.empty(), "s1"))
        .cause().isInstanceOfSatisfying(TransferRefusedException.class, e -> {
          assertThat(e.status()).isEqualTo(507);
          assertThat(e.getMessage()).contains("free");
        });

    assertThat(target.exists(DB)).isFalse();
    assertThat(source.snapshots(DB)).containsExactly(s1);
    assertThat(source.state(DB).readonly()).isFalse();
    assertThat(DataFiles.checksums(sourceData)).isEqualTo(sourceBefore);
  }

  @Test
  void anIncrementalThatOverflowsTheTargetPoolFailsClearlyAndLeavesBothSidesAtTheirSnapshots() throws Exception {
    get(server.close());
    startTarget(pools.create(ZfsPoolExtension.MIN_SIZE));
    source.create(DB, 128 * MIB);
    DataFiles.write(sourceData.resolve("a.bin"), 4 * MIB, 9);
    Snapshot s1 = source.snapshot(DB, "s1");
    transferNext();
    DataFiles.write(sourceData.resolve("b.bin"), 40 * MIB, 10);
    Snapshot s2 = source.snapshot(DB, "s2");
    Map<String, String> sourceBefore = DataFiles.checksums(sourceData);

    // zfs-fuse cannot estimate an incremental, so this is found out by zfs receive mid-stream.
    assertThatThrownBy(() -> transferNext())
        .cause().isInstanceOfSatisfying(TransferRefusedException.class, e -> {
          assertThat(e.status()).isEqualTo(507);
          assertThat(e.getMessage()).contains("pool too small");
        });

    await().atMost(Duration.ofSeconds(30)).until(() -> !server.receiving("db"));
    assertThat(target.snapshots(DB)).containsExactly(s1);
    assertThat(source.snapshots(DB)).containsExactly(s1, s2);
    assertThat(DataFiles.checksums(sourceData)).isEqualTo(sourceBefore);
  }

  @Test
  void aSenderDyingMidStreamLeavesTheTargetAtItsLastSnapshotAndTheSameStepRunsAgain() throws Exception {
    source.create(DB, 128 * MIB);
    DataFiles.write(sourceData.resolve("a.bin"), 2 * MIB, 7);
    Snapshot s1 = source.snapshot(DB, "s1");
    transferNext();
    DataFiles.write(sourceData.resolve("b.bin"), 24 * MIB, 8);
    Snapshot s2 = source.snapshot(DB, "s2");

    sendHalfAndDie(ticket(Optional.of(s1), s2, Clock.systemUTC()).encode(KEY), "s1", "s2", 4 * MIB);
    await().atMost(Duration.ofSeconds(30)).until(() -> !server.receiving("db"));

    assertThat(target.snapshots(DB)).containsExactly(s1);
    TransferStep again = TransferPlanner.plan(source.snapshots(DB), Optional.of(target.snapshots(DB)));
    assertThat(again).isEqualTo(TransferStep.incremental(s1, s2));
    transferNext();
    assertThat(target.snapshots(DB)).containsExactly(s1, s2);
    target.mount(DB);
    assertThat(DataFiles.checksums(targetData)).isEqualTo(DataFiles.checksums(sourceData));
  }

  @Test
  void theNodesCapHoldsEachReportedProgressUnderTheRatePlusTheBurst() throws Exception {
    // Far below what zfs-fuse sends even on a loaded machine, so that an uncapped stream fails this.
    TransferCap cap = TransferCap.bytesPerSecond(256 * 1024);
    TransferClient capped = cappedClient(cap);
    List<TransferProgress> reported = new CopyOnWriteArrayList<>();

    TransferRequest request = fullStreamOf(DB, 3 * MIB, false);
    TransferResult result = get(capped.send(request, reported::add));

    assertThat(reported).as("the progress the sender reported").isNotEmpty()
        .allSatisfy(p -> assertThat(p.bytes()).as("bytes after %s", p.elapsed()).isLessThanOrEqualTo(atMost(cap, p.elapsed())));
    assertThat(reported.get(reported.size() - 1).bytes()).isEqualTo(result.bytes()).isGreaterThan(3 * MIB);
    assertThat(target.snapshots(DB)).extracting(Snapshot::guid).containsExactly(result.guid());
  }

  @Test
  void twoStreamsOfANodeShareItsCap() throws Exception {
    TransferCap cap = TransferCap.bytesPerSecond(256 * 1024);
    TransferClient capped = cappedClient(cap);
    DatasetName other = DatasetName.of("db2");
    List<TransferRequest> requests = List.of(fullStreamOf(DB, 2 * MIB, false), fullStreamOf(other, 2 * MIB, false));

    long started = System.nanoTime();
    List<TransferResult> results = get(Future.all(requests.stream().map(r -> capped.send(r, p -> { })).toList())
        .map(all -> all.<TransferResult>list()));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    long total = results.stream().mapToLong(TransferResult::bytes).sum();
    assertThat(total).as("bytes of both streams in %s", took).isGreaterThan(4 * MIB)
        .isLessThanOrEqualTo(atMost(cap, took) + InputStreamReadStream.CHUNK);
    assertThat(target.snapshots(other)).hasSize(1);
  }

  @Test
  void theFencedFinalRoundIsNotHeldBackByTheCap() throws Exception {
    TransferCap cap = TransferCap.bytesPerSecond(16 * 1024);
    TransferClient capped = cappedClient(cap);
    TransferRequest fenced = fullStreamOf(DB, 4 * MIB, true);

    long started = System.nanoTime();
    // Capped, these 4 MiB would take over 200 s and fail get()'s 120 s deadline.
    TransferResult result = get(capped.send(fenced, p -> { }));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(result.bytes()).as("bytes sent in %s", took).isGreaterThan(atMost(cap, took));
  }

  @Test
  void aStreamPastTheNodesReceiveCapIsAnsweredBusyWithRetryAfterAndItsTicketStaysGood() throws Exception {
    serveTarget(port, 1);
    Snapshot s1 = dbWithSnapshot(24 * MIB, 21);
    TransferRequest second = fullStreamOf(DatasetName.of("db2"), 1 * MIB, false);

    HttpResponse<String> busy;
    try (Socket held = holdStreamOpen(s1)) {

      busy = rawPost("/v1/transfers/db2", Optional.of(second.ticket()));
    }

    assertThat(busy.statusCode()).as(busy.body()).isEqualTo(429);
    assertThat(busy.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(busy.body()).contains("ReceiverBusy").contains("receiving 1 streams, the most it takes at once");
    assertThat(target.exists(DatasetName.of("db2"))).as("nothing received for the refused stream").isFalse();
    await().atMost(Duration.ofSeconds(60)).until(() -> !server.receiving("db"));
    // Refused before it was admitted: the same ticket is good once a slot is free.
    TransferResult result = get(client.send(second, p -> { }));
    assertThat(target.snapshots(DatasetName.of("db2"))).extracting(Snapshot::guid).containsExactly(result.guid());
  }

  @Test
  void aSenderToldTheTargetIsBusyWaitsAndSendsOnceASlotFrees() throws Exception {
    serveTarget(port, 1);
    Snapshot s1 = dbWithSnapshot(24 * MIB, 22);
    TransferRequest waiting = fullStreamOf(DatasetName.of("db2"), 1 * MIB, false);
    double refusedBefore = counted.busyRefusals().count();

    Future<TransferResult> sent;
    try (Socket held = holdStreamOpen(s1)) {
      sent = client.send(waiting, p -> { });

      await().atMost(Duration.ofSeconds(60)).until(() -> counted.busyRefusals().count() > refusedBefore);
      assertThat(sent.isComplete()).as("a busy target is no failed stream: the sender waits").isFalse();
    }

    TransferResult result = get(sent);
    assertThat(target.snapshots(DatasetName.of("db2"))).extracting(Snapshot::guid).containsExactly(result.guid());
  }

  /** node1's client under {@code cap}, closed with the test's Vert.x. */
  private TransferClient cappedClient(TransferCap cap) {
    return new TransferClient(vertx, source, NODE1, counted, Optional.empty(), KEY, AS_NODE1, cap);
  }

  /** A new dataset on node1 with {@code bytes} of random data and a snapshot s1, and the request of its full stream. */
  private TransferRequest fullStreamOf(DatasetName dataset, long bytes, boolean fenced) throws IOException {
    source.create(dataset, 64 * MIB);
    DataFiles.write(source.layout().mountpoint(dataset).resolve("data.bin"), bytes, dataset.value().length());
    Snapshot s1 = source.snapshot(dataset, "s1");
    String ticket = TransferTicket.issue(UID, 0, dataset.value(), "node1", "node2", "", s1.name(),
        Duration.ofMinutes(5), Clock.systemUTC()).encode(KEY);
    return new TransferRequest(NODE2, port, ticket, dataset, Optional.empty(), s1.name(), fenced);
  }

  /** The most a capped sender may have sent after {@code elapsed}: its burst, the rate, a chunk in flight and 10 %. */
  private static long atMost(TransferCap cap, Duration elapsed) {
    return cap.burstBytes() + InputStreamReadStream.CHUNK
        + (long) (cap.bytesPerSecond() * 1.1 * elapsed.toNanos() / 1e9);
  }

  /** Plans the next step the way the controller will, issues its ticket and sends it. */
  private TransferResult transferNext() throws Exception {
    Optional<List<Snapshot>> targetSnapshots = target.exists(DB) ? Optional.of(target.snapshots(DB)) : Optional.empty();
    TransferStep step = TransferPlanner.plan(source.snapshots(DB), targetSnapshots);
    if (step instanceof FullSend full) {
      return sendWith(ticket(Optional.empty(), full.snapshot(), Clock.systemUTC()).encode(KEY),
          Optional.empty(), full.snapshot().name());
    }
    IncrementalSend inc = (IncrementalSend) step;
    TransferResult result = sendWith(ticket(Optional.of(inc.base()), inc.snapshot(), Clock.systemUTC()).encode(KEY),
        Optional.of(inc.base().name()), inc.snapshot().name());
    assertThat(result.guid()).isEqualTo(inc.snapshot().guid());
    return result;
  }

  private TransferResult sendWith(String ticket, Optional<String> base, String snapshot) throws Exception {
    TransferRequest request = new TransferRequest(NODE2, port, ticket, DB, base, snapshot);
    return get(client.send(request, sent::add));
  }

  private static TransferTicket ticket(Optional<Snapshot> base, Snapshot snapshot, Clock clock) {
    return TransferTicket.issue(UID, 0, "db", "node1", "node2", base.map(Snapshot::guid).orElse(""), snapshot.name(),
        Duration.ofMinutes(5), clock);
  }

  private void assertRefused(String ticket, int status, String message) throws IOException, InterruptedException {
    HttpResponse<String> response = rawPost("/v1/transfers/db", Optional.of(ticket));
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.body()).contains(message);
  }

  /** A POST of 64 KiB of zeros with {@code ticket}, signed by node1 as its agent would. */
  private HttpResponse<String> rawPost(String path, Optional<String> ticket) throws IOException, InterruptedException {
    return raw("POST", path, ticket, Optional.of(AS_NODE1.sign("node2", "POST", path, ticket.orElse(""))),
        new byte[64 * 1024]);
  }

  private HttpResponse<String> raw(String method, String path, Optional<String> ticket, Optional<String> authorization,
      byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + NODE2 + ":" + port + path))
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    ticket.ifPresent(t -> request.header(TransferServer.TICKET_HEADER, t));
    authorization.ifPresent(a -> request.header("Authorization", a));
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Plays a sending agent killed with SIGKILL: a valid request whose stream stops after {@code
   * bytes}, then a connection reset.
   */
  private void sendHalfAndDie(String ticket, String base, String snapshot, long bytes) throws IOException {
    try (Socket socket = openStream(ticket, Optional.of(base), snapshot, bytes)) {
      socket.setSoLinger(true, 0);
    }
  }

  /** db on node1 with {@code bytes} of random data and a snapshot s1. */
  private Snapshot dbWithSnapshot(long bytes, int seed) throws IOException {
    source.create(DB, 128 * MIB);
    DataFiles.write(sourceData.resolve("a.bin"), bytes, seed);
    return source.snapshot(DB, "s1");
  }

  /**
   * A sender that has sent 2 MiB of a valid full stream of {@code snapshot} into db and then goes
   * quiet with its connection open: it holds one of node2's receive slots (once this returns)
   * until the socket is closed.
   */
  private Socket holdStreamOpen(Snapshot snapshot) throws IOException {
    Socket socket = openStream(ticket(Optional.empty(), snapshot, Clock.systemUTC()).encode(KEY), Optional.empty(),
        snapshot.name(), 2 * MIB);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> server.receiving("db"));
      return socket;
    } catch (RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** A valid request into db whose stream (from {@code base}, if any) has sent {@code bytes}, its connection open. */
  private Socket openStream(String ticket, Optional<String> base, String snapshot, long bytes) throws IOException {
    Socket socket = new Socket();
    try (StreamingProcess send = source.send(DB, base, snapshot)) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(NODE1), 0));
      socket.connect(new InetSocketAddress(NODE2, port));
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/transfers/db HTTP/1.1\r\nHost: " + NODE2 + "\r\n"
          + "Authorization: " + AS_NODE1.sign("node2", "POST", "/v1/transfers/db", ticket) + "\r\n"
          + TransferServer.TICKET_HEADER + ": " + ticket + "\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream stream = send.output();
      byte[] chunk = new byte[64 * 1024];
      for (long sentBytes = 0; sentBytes < bytes; ) {
        int n = stream.readNBytes(chunk, 0, chunk.length);
        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk, 0, n);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        sentBytes += n;
      }
      out.flush();
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static ZfsDriver driver(Pool pool) {
    ZfsDriver driver = ZfsDriver.detect(new ZfsLayout(pool.name(), pool.mountRoot()), ZfsCli.standard());
    driver.ensureRoot();
    return driver;
  }

  private static <T> T get(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw new ExecutionException(cause.getMessage(), cause);
      }
      throw e;
    }
  }
}
