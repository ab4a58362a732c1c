package dev.ferry.agent;

import static dev.ferry.agent.testing.ControllerStandIn.PATIENCE;
import static dev.ferry.agent.testing.ControllerStandIn.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.agent.testing.AgentProcess;
import dev.ferry.agent.testing.AgentProcess.TestNode;
import dev.ferry.agent.testing.ControllerStandIn;
import dev.ferry.agent.testing.CopyContents;
import dev.ferry.agent.testing.DataFiles;
import dev.ferry.agent.testing.FileHolder;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.ZfsCli;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsLayout;
import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.Event;
import dev.ferry.api.model.EventSpec;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.ReclaimPolicy;
import dev.ferry.api.model.Snapshot;
import dev.ferry.api.model.Transfer;
import dev.ferry.api.model.TransferState;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.agent.transfer.TransferServer;
import dev.ferry.api.transfer.AgentRequest;
import dev.ferry.api.transfer.ClusterKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import dev.ferry.testing.EtcdExtension;
import dev.ferry.api.process.FreePort;
import dev.ferry.testing.ZfsPoolExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two node agents as real processes, node1 on 127.0.1.1 and node2 on 127.0.1.2, each with its
 * own zfs-fuse pool, and a real etcd; the test plays the controller.
 */
class AgentTest {

  private static final long MIB = 1 << 20;
  private static final DatasetName DB = DatasetName.of("db");
  /** What `ferry up` writes into the cluster key file: 32 random bytes as hex. */
  private static final String KEY_TEXT = java.util.HexFormat.of()
      .formatHex(new java.security.SecureRandom().generateSeed(32));
  private static final ClusterKey KEY = ClusterKey.fromHex(KEY_TEXT);

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  @RegisterExtension
  final ZfsPoolExtension pools = ZfsPoolExtension.perTest();

  @TempDir
  Path dir;

  private static EtcdStore store;
  private static ControllerStandIn controller;
  private final List<AgentProcess> agents = new ArrayList<>();
  private Path keyFile;
  private Path logDir;

  @BeforeAll
  static void connect() {
    store = EtcdStore.connect(ETCD.config());
    controller = new ControllerStandIn(store, KEY);
  }

  @AfterAll
  static void disconnect() {
    store.close();
  }

  @BeforeEach
  void writeKey(org.junit.jupiter.api.TestInfo test) throws IOException {
    // The agents' logs outlive the test, for a failure's post-mortem.
    logDir = Files.createDirectories(Path.of("target", "agent-logs", test.getTestMethod().orElseThrow().getName()));
    try (var old = Files.list(logDir)) {
      for (Path file : (Iterable<Path>) old::iterator) {
        Files.delete(file);
      }
    }
    keyFile = dir.resolve("cluster.key");
    Files.writeString(keyFile, KEY_TEXT + "\n");
  }

  @AfterEach
  void stopAgentsAndForgetObjects() {
    agents.forEach(AgentProcess::close);
    deleteAll(Kind.MIGRATION);
    deleteAll(Kind.DATASET);
    deleteAll(Kind.NODE);
    deleteAll(Kind.EVENT);
  }

  private static <O extends dev.ferry.api.model.FerryObject<O, S, T>, S, T> void deleteAll(Kind<O, S, T> kind) {
    get(store.list(kind, LabelSelector.EVERYTHING)).items().forEach(o -> get(store.delete(kind, o.name(), 0)));
  }

  @Test
  void registersItsNodeWhichDisappearsWhenTheAgentIsKilled() {
    AgentProcess agent = start(node1(pools.pool()));

    Node node = awaitNode("node1");
    assertThat(node.spec().address()).isEqualTo("127.0.1.1");
    assertThat(node.spec().attributes()).isEqualTo(Map.of("disk", "spinning", "rack", "a"));
    assertThat(node.spec().pool()).isEqualTo(pools.pool().name());
    assertThat(node.spec().datasetRoot()).isEqualTo(pools.pool().mountRoot().toString());
    assertThat(node.spec().agentVersion()).isNotBlank();
    assertThat(node.status().poolSizeBytes()).isPositive();
    assertThat(node.status().poolFreeBytes()).isPositive().isLessThanOrEqualTo(node.status().poolSizeBytes());

    agent.kill();

    await().atMost(PATIENCE).until(() -> get(store.get(Kind.NODE, "node1")).isEmpty());
  }

  @Test
  void aStoppedAgentTakesItsNodeWithIt() {
    AgentProcess agent = start(node1(pools.pool()));
    awaitNode("node1");

    agent.close();

    assertThat(agent.isAlive()).isFalse();
    await().atMost(PATIENCE).until(() -> get(store.get(Kind.NODE, "node1")).isEmpty());
  }

  @Test
  void aFullAndThreeIncrementalRoundsMoveTheDatasetWithEveryFileIntact() throws Exception {
    TestNode n1 = node1(pools.pool());
    TestNode n2 = node2(pools.create());
    startBoth(n1, n2);
    createDbOnNode1(128);
    Path data = n1.mountpoint("db");
    DataFiles.write(data.resolve("base.bin"), 8 * MIB, 1);
    Files.createDirectories(data.resolve("dir"));
    Files.writeString(data.resolve("dir/todo.txt"), "buy milk\n");
    Migration move = controller.startMigration("db-move", "db", "node1", "node2");

    String base = "";
    for (int round = 0; round <= 3; round++) {
      if (round > 0) {
        DataFiles.write(data.resolve("round-" + round + ".bin"), round * MIB, 10 + round);
        Files.writeString(data.resolve("dir/todo.txt"), "round " + round + "\n", java.nio.file.StandardOpenOption.APPEND);
      }
      if (round == 2) {
        Files.delete(data.resolve("round-1.bin"));
      }
      String snapshot = "db-move-" + round;
      controller.request("db-move", round, snapshot, round == 3, controller.ticket(move, round, base, snapshot, Clock.systemUTC()));
      Transfer done = controller.awaitRound("db-move");
      assertThat(done.state()).as(done.message()).isEqualTo(TransferState.Succeeded);
      assertThat(done.baseGuid()).isEqualTo(base);
      assertThat(done.bytes()).isPositive();
      base = done.guid();
    }

    DatasetCopy source = controller.awaitCopy("db", "node1", c -> c.readonly() && c.snapshots().size() == 4);
    DatasetCopy target = controller.awaitCopy("db", "node2", c -> c.snapshots().size() == 4);
    assertThat(target.snapshots()).extracting(Snapshot::guid).isEqualTo(source.snapshots().stream().map(Snapshot::guid).toList());
    assertThat(target.snapshots()).last().extracting(Snapshot::guid).isEqualTo(base);
    assertThat(target.readonly()).isTrue();
    assertThat(CopyContents.newestSnapshot(n2.pool(), "db"))
        .isEqualTo(DataFiles.checksums(data))
        .containsKeys("base.bin", "dir/todo.txt", "round-2.bin", "round-3.bin")
        .doesNotContainKey("round-1.bin");

    // Switch and Start, as the controller does them: node2 becomes the writable primary.
    controller.updateDataset("db", s -> new DatasetSpec(s.size(), "node2", "", s.reclaimPolicy()));
    controller.awaitCopy("db", "node2", c -> c.mounted() && !c.readonly() && c.availableBytes() <= 128 * MIB);
    controller.awaitCopy("db", "node1", DatasetCopy::readonly);
    Files.writeString(n2.mountpoint("db").resolve("after-move.txt"), "written on node2\n");
    assertThat(Files.readString(n2.mountpoint("db").resolve("dir/todo.txt"))).endsWith("round 3\n");
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(events("Dataset", "db")).extracting(e -> e.reason() + " by " + e.source())
          .contains("Created by node-agent/node1", "MadeWritable by node-agent/node2");
      assertThat(events("Migration", "db-move")).extracting(e -> e.reason() + " by " + e.source())
          .contains("Fenced by node-agent/node1");
    });
  }

  @Test
  void aSourceKilledMidStreamLeavesTheTargetAsItWasAndTheRoundAskedAgainCompletes() throws Exception {
    TestNode n1 = node1(pools.create(1024 * MIB));
    TestNode n2 = node2(pools.create(1024 * MIB));
    AgentProcess source = startBoth(n1, n2);
    createDbOnNode1(512);
    DataFiles.write(n1.mountpoint("db").resolve("big.bin"), 320 * MIB, 2);
    Migration move = controller.startMigration("db-move", "db", "node1", "node2");
    String ticket = controller.ticket(move, 0, "", "db-move-0", Clock.systemUTC());
    controller.request("db-move", 0, "db-move-0", false, ticket);

    controller.awaitTransfer("db-move", t -> t.state() == TransferState.Running && t.bytes() > 0);
    source.kill();

    // The receiver consumed the ticket: asked again with it, the round is refused and node2 stays empty.
    controller.request("db-move", 0, "db-move-0", false, ticket);
    source = start(n1);
    Transfer reused = controller.awaitRound("db-move");
    assertThat(reused.state()).isEqualTo(TransferState.Failed);
    assertThat(reused.message()).contains("already used");
    assertThat(controller.copy("db", "node2")).isEmpty();
    assertThat(Files.exists(n2.mountpoint("db"))).isFalse();

    controller.request("db-move", 0, "db-move-0", false, controller.ticket(move, 0, "", "db-move-0", Clock.systemUTC()));
    Transfer again = controller.awaitRound("db-move");

    assertThat(again.state()).as(again.message()).isEqualTo(TransferState.Succeeded);
    assertThat(again.bytes()).isGreaterThan(320 * MIB);
    DatasetCopy onNode1 = controller.awaitCopy("db", "node1", c -> c.snapshots().size() == 1);
    assertThat(onNode1.snapshots().get(0).guid()).isEqualTo(again.guid());
    assertThat(CopyContents.newestSnapshot(n2.pool(), "db")).isEqualTo(DataFiles.checksums(n1.mountpoint("db")));
  }

  @Test
  void forgedAndExpiredTicketsAreRefusedAndTheTargetPoolStaysAsItWas() throws Exception {
    TestNode n1 = node1(pools.pool());
    TestNode n2 = node2(pools.create());
    startBoth(n1, n2);
    createDbOnNode1(64);
    DataFiles.write(n1.mountpoint("db").resolve("a.bin"), 2 * MIB, 3);
    Migration move = controller.startMigration("db-move", "db", "node1", "node2");
    controller.request("db-move", 0, "db-move-0", false, controller.ticket(move, 0, "", "db-move-0", Clock.systemUTC()));
    String base = controller.awaitRound("db-move").guid();
    DatasetCopy before = controller.awaitCopy("db", "node2", c -> c.snapshots().size() == 1);
    Map<String, String> filesBefore = CopyContents.newestSnapshot(n2.pool(), "db");
    DataFiles.write(n1.mountpoint("db").resolve("b.bin"), 2 * MIB, 4);

    String forged = dev.ferry.api.transfer.TransferTicket.issue(move.metadata().uid(), 1, "db", "node1", "node2", base, "db-move-1",
        Duration.ofMinutes(5), Clock.systemUTC()).encode(ClusterKey.random());
    controller.request("db-move", 1, "db-move-1", false, forged);
    Transfer refusedForged = controller.awaitRound("db-move");
    assertThat(refusedForged.state()).isEqualTo(TransferState.Failed);
    assertThat(refusedForged.message()).contains("signature invalid");
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(events("Migration", "db-move"))
        .anySatisfy(e -> {
          assertThat(e.type()).isEqualTo(dev.ferry.api.model.EventType.Warning);
          assertThat(e.reason()).isEqualTo("RoundFailed");
          assertThat(e.message()).contains("round 1").contains("signature invalid");
          assertThat(e.source()).isEqualTo("node-agent/node1");
        }));

    String expired = controller.ticket(move, 1, base, "db-move-1", Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
    controller.request("db-move", 1, "db-move-1", false, expired);
    Transfer refusedExpired = controller.awaitRound("db-move");
    assertThat(refusedExpired.state()).isEqualTo(TransferState.Failed);
    assertThat(refusedExpired.message()).contains("expired");

    assertThat(controller.copy("db", "node2")).get().extracting(DatasetCopy::snapshots).isEqualTo(before.snapshots());
    assertThat(CopyContents.newestSnapshot(n2.pool(), "db")).isEqualTo(filesBefore);
  }

  /** A stream captured on the network and sent again after the target's agent restarted receives nothing. */
  @Test
  void aStreamReplayedAfterTheTargetAgentRestartedIsRefused() throws Exception {
    TestNode n1 = node1(pools.pool());
    TestNode n2 = node2(pools.create());
    AgentProcess source = start(n1);
    AgentProcess target = start(n2);
    awaitNode("node1");
    awaitNode("node2");
    createDbOnNode1(64);
    DataFiles.write(n1.mountpoint("db").resolve("a.bin"), 2 * MIB, 3);
    Migration move = controller.startMigration("db-move", "db", "node1", "node2");
    String ticket = controller.ticket(move, 0, "", "db-move-0", Clock.systemUTC());
    driver(n1).snapshot(DB, "db-move-0");
    byte[] stream = fullStream(n1, "db-move-0");
    HttpResponse<String> captured = postAsNode1(n2, ticket, stream);
    assertThat(captured.statusCode()).as(captured.body()).isEqualTo(200);
    assertThat(driver(n2).snapshots(DB)).hasSize(1);

    target.close();
    agents.remove(target);
    // Without its copy, node2 would take the replayed full stream if it forgot the ticket.
    new dev.ferry.agent.snapshots.SnapshotHolds(driver(n2)).releaseAll(DB);
    driver(n2).destroy(DB);
    start(n2);
    awaitNode("node2");
    HttpResponse<String> replayed = postAsNode1(n2, ticket, stream);

    assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(403);
    assertThat(replayed.body()).contains("already used");
    assertThat(driver(n2).exists(DB)).as("zfs list on node2 shows no db").isFalse();
    assertThat(source.isAlive()).isTrue();
  }

  /**
   * An earlier attempt of the round got through, but its outcome was never written: the source
   * takes the round as done on the target's signed receipt, sending nothing again.
   */
  @Test
  void aRoundTheTargetAlreadyHoldsSucceedsOnItsReceipt() throws Exception {
    TestNode n1 = node1(pools.pool());
    TestNode n2 = node2(pools.create());
    startBoth(n1, n2);
    createDbOnNode1(64);
    DataFiles.write(n1.mountpoint("db").resolve("a.bin"), 2 * MIB, 3);
    Migration move = controller.startMigration("db-move", "db", "node1", "node2");
    Snapshot taken = driver(n1).snapshot(DB, "db-move-0");
    HttpResponse<String> earlier = postAsNode1(n2, controller.ticket(move, 0, "", "db-move-0", Clock.systemUTC()),
        fullStream(n1, "db-move-0"));
    assertThat(earlier.statusCode()).as(earlier.body()).isEqualTo(200);

    controller.request("db-move", 0, "db-move-0", false, controller.ticket(move, 0, "", "db-move-0", Clock.systemUTC()));
    Transfer done = controller.awaitRound("db-move");

    assertThat(done.state()).as(done.message()).isEqualTo(TransferState.Succeeded);
    assertThat(done.guid()).isEqualTo(taken.guid());
    assertThat(done.bytes()).as("nothing sent again").isZero();
  }

  private static byte[] fullStream(TestNode from, String snapshot) throws IOException {
    try (var send = driver(from).send(DB, Optional.empty(), snapshot)) {
      return send.output().readAllBytes();
    }
  }

  /** A stream into {@code to}, signed with the cluster key as node1's agent signs it. */
  private static HttpResponse<String> postAsNode1(TestNode to, String ticket, byte[] stream) throws Exception {
    String path = "/v1/transfers/db";
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + to.address() + ":" + to.port() + path))
        .header("Authorization", new AgentRequest(KEY, "node1", Clock.systemUTC()).sign(to.name(), "POST", path, ticket))
        .header(TransferServer.TICKET_HEADER, ticket)
        .POST(HttpRequest.BodyPublishers.ofByteArray(stream)).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aTargetPoolTooSmallFailsTheRoundClearlyAndLeavesTheSourceAlone() throws Exception {
    TestNode n1 = node1(pools.pool());
    TestNode n2 = node2(pools.create(ZfsPoolExtension.MIN_SIZE));
    startBoth(n1, n2);
    createDbOnNode1(128);
    DataFiles.write(n1.mountpoint("db").resolve("big.bin"), 48 * MIB, 6);
    Map<String, String> sourceFiles = DataFiles.checksums(n1.mountpoint("db"));
    Migration move = controller.startMigration("db-move", "db", "node1", "node2");

    controller.request("db-move", 0, "db-move-0", false, controller.ticket(move, 0, "", "db-move-0", Clock.systemUTC()));
    Transfer failed = controller.awaitRound("db-move");

    assertThat(failed.state()).isEqualTo(TransferState.Failed);
    assertThat(failed.message()).contains("InsufficientStorage").contains("free");
    assertThat(controller.copy("db", "node2")).isEmpty();
    // The round wrote only its marker, naming its snapshot, before taking it.
    Map<String, String> after = new java.util.TreeMap<>(DataFiles.checksums(n1.mountpoint("db")));
    assertThat(after.remove(".ferry/snapshot")).isNotNull();
    assertThat(after).isEqualTo(sourceFiles);
    assertThat(n1.mountpoint("db").resolve(".ferry/snapshot")).hasContent("db-move-0");
    DatasetCopy source = controller.awaitCopy("db", "node1", c -> c.snapshots().size() == 1);
    assertThat(source.readonly()).isFalse();
    assertThat(source.mounted()).isTrue();
  }

  @Test
  void movesBackAndForthLeaveOnlyTheNewestCommonSnapshotOnEachCopyAndEachMoveBackIsIncremental() throws Exception {
    TestNode n1 = node1(pools.pool());
    TestNode n2 = node2(pools.create());
    startBoth(n1, n2);
    createDbOnNode1(64);
    DataFiles.write(n1.mountpoint("db").resolve("base.bin"), 4 * MIB, 1);
    // A person's own snapshot: not Ferry's to prune.
    driver(n1).snapshot(DB, "before-upgrade");

    String common = "";
    TestNode from = n1;
    TestNode to = n2;
    for (int move = 1; move <= 3; move++) {
      common = move("move-" + move, from, to, common);
      String newest = common;
      for (TestNode node : List.of(from, to)) {
        DatasetCopy copy = controller.awaitCopy("db", node.name(),
            c -> ferrySnapshots(c).equals(List.of(newest)));
        assertThat(copy.snapshots()).extracting(Snapshot::name)
            .containsExactlyElementsOf(node == n1 ? List.of("before-upgrade", "ferry-move-" + move + "-2")
                : List.of("ferry-move-" + move + "-2"));
        assertThat(driver(node).heldSnapshots(DB)).as("holds left on " + node.name()).isEmpty();
      }
      TestNode was = from;
      from = to;
      to = was;
    }
    assertThat(Files.exists(n2.mountpoint("db").resolve("move-3-round-1.bin"))).isTrue();
  }

  @Test
  void createWritesTheIdentityMarkerAndAForcedUnmountIsReportedWithoutTouchingTheFilesInTheWay() throws Exception {
    TestNode n1 = node1(pools.pool());
    start(n1);
    createDbOnNode1(64);
    Path data = n1.mountpoint("db");
    String identity = await().atMost(PATIENCE).until(() -> dataset().status().identity(), id -> !id.isEmpty());
    assertThat(identity).isEqualTo(driver(n1).guid(DB));
    assertThat(data.resolve(".ferry/identity")).hasContent(identity);
    Files.writeString(data.resolve("todos.aof"), "SET a 1\n");

    // zfs-fuse restarted, or a failed mount: the filesystem is gone from under the app, and the
    // scheduler restarts the app on the bare mountpoint directory, where it writes.
    dev.ferry.api.process.Command.run("zfs", "unmount", "-f", n1.pool().name() + "/ferry/db").orThrow();
    Files.writeString(data.resolve("dump.rdb"), "written on the root filesystem\n");

    controller.awaitCopy("db", "node1", c -> !c.mounted());
    Condition mounted = awaitCondition("Mounted", c -> c.reason().equals("MountFailed"));
    assertThat(mounted.status()).isEqualTo(Condition.FALSE);
    assertThat(mounted.message()).contains("node1").contains("db").contains("not empty");
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(events("Dataset", "db"))
        .anySatisfy(e -> assertThat(e.reason()).isEqualTo("MountFailed")));
    assertThat(data.resolve("dump.rdb")).hasContent("written on the root filesystem");
    assertThat(data.resolve("todos.aof")).doesNotExist();

    // A person moves the stray file away: the agent mounts the dataset again, with its data.
    Files.delete(data.resolve("dump.rdb"));
    controller.awaitCopy("db", "node1", c -> c.mounted() && !c.readonly());
    assertThat(awaitCondition("Mounted", Condition::isTrue).reason()).isEqualTo("Mounted");
    assertThat(data.resolve("todos.aof")).hasContent("SET a 1\n");
  }

  @Test
  void aPrimaryDestroyedBehindTheAgentsBackIsReportedLostAndNotRecreatedEmpty() throws Exception {
    TestNode n1 = node1(pools.pool());
    start(n1);
    createDbOnNode1(64);
    await().atMost(PATIENCE).until(() -> dataset().status().identity(), id -> !id.isEmpty());

    driver(n1).destroy(DB);

    Condition available = awaitCondition("Available", c -> c.reason().equals("CopyLost"));
    assertThat(available.status()).isEqualTo(Condition.FALSE);
    assertThat(available.message()).contains("node1").contains("db").contains("not re-created");
    // Two resyncs later it is still lost, not an empty stand-in an app would write into.
    Thread.sleep(12_000);
    assertThat(driver(n1).exists(DB)).isFalse();
    assertThat(controller.copy("db", "node1")).isEmpty();
    assertThat(Files.exists(n1.mountpoint("db").resolve(".ferry/identity"))).isFalse();
  }

  @Test
  void eachMoveBackAndForthShowsEveryFileWrittenBeforeItOnTheNewPrimarysMount() throws Exception {
    TestNode n1 = node1(pools.pool());
    TestNode n2 = node2(pools.create());
    startBoth(n1, n2);
    createDbOnNode1(64);
    String common = "";
    TestNode from = n1;
    TestNode to = n2;
    StringBuilder log = new StringBuilder();
    for (int move = 1; move <= 3; move++) {
      // Like Redis's append-only file: one file that each primary appends to, and reads back.
      log.append("SET key-").append(move).append(" written on ").append(from.name()).append('\n');
      Files.writeString(from.mountpoint("db").resolve("appendonly.aof"), log.toString());
      assertThat(from.mountpoint("db").resolve("appendonly.aof")).hasContent(log.toString());
      Map<String, String> before = DataFiles.checksums(from.mountpoint("db"));
      common = move("move-" + move, from, to, common);

      Map<String, String> onNewPrimary = new java.util.TreeMap<>(DataFiles.checksums(to.mountpoint("db")));
      // The move's own rounds wrote their marker (and data files) after `before` was read.
      String rounds = "move-" + move + "-round-";
      onNewPrimary.keySet().removeIf(f -> f.startsWith(rounds) || f.equals(".ferry/snapshot"));
      before.remove(".ferry/snapshot");
      assertThat(onNewPrimary).as("files on %s after move %d", to.name(), move).isEqualTo(before);
      assertThat(to.mountpoint("db").resolve("appendonly.aof")).hasContent(log.toString());
      assertThat(to.mountpoint("db").resolve(".ferry/snapshot")).hasContent("ferry-move-" + move + "-2");
      TestNode was = from;
      from = to;
      to = was;
    }
  }

  @Test
  void aFencedRoundTakesNoSnapshotWhileAProcessStillHoldsAFileOpenOnTheSource() throws Exception {
    TestNode n1 = node1(pools.pool());
    TestNode n2 = node2(pools.create());
    startBoth(n1, n2);
    createDbOnNode1(64);
    Path aof = n1.mountpoint("db").resolve("appendonly.aof");
    Migration m = controller.startMigration("held", "db", "node1", "node2");
    controller.request("held", 0, "ferry-held-0", false, controller.ticket(m, 0, "", "ferry-held-0", Clock.systemUTC()));
    String base = controller.awaitRound("held").guid();

    // The scheduler says the task is gone, but its process still holds the append-only file.
    try (FileHolder app = FileHolder.holdingOpen(aof, dir)) {
      controller.request("held", 1, "ferry-held-1", true, controller.ticket(m, 1, base, "ferry-held-1", Clock.systemUTC()));
      Transfer refused = controller.awaitRound("held");
      assertThat(refused.state()).isEqualTo(TransferState.Failed);
      assertThat(refused.message()).contains("still in use").contains("pid " + app.pid()).contains(aof.toString());
      assertThat(driver(n1).snapshots(DB)).extracting(Snapshot::name).doesNotContain("ferry-held-1");
      await().atMost(PATIENCE).untilAsserted(() -> assertThat(events("Migration", "held"))
          .anySatisfy(e -> assertThat(e.message()).contains("pid " + app.pid())));
      // The fence did not stop it (zfs-fuse): this write would have been lost after the snapshot.
      assertThat(app.writeAndExit().wrote()).isTrue();
    }

    controller.request("held", 1, "ferry-held-1", true, controller.ticket(m, 1, base, "ferry-held-1", Clock.systemUTC()));
    Transfer done = controller.awaitRound("held");
    assertThat(done.state()).as(done.message()).isEqualTo(TransferState.Succeeded);
    controller.updateDataset("db", s -> new DatasetSpec(s.size(), "node2", "", s.reclaimPolicy()));
    controller.awaitCopy("db", "node2", c -> c.mounted() && !c.readonly());
    assertThat(n2.mountpoint("db").resolve("appendonly.aof"))
        .hasContent("written before the fence\nwritten after the fence");
  }

  @Test
  void anotherNodesDatasetsAndASteadyOneCostTheAgentNoZfsCommandOfTheirOwn() throws Exception {
    // Every zfs command the agent runs goes through this wrapper, which writes it down first.
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path commands = dir.resolve("zfs-commands.log");
    Path wrapper = bin.resolve("zfs");
    Files.writeString(wrapper, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + commands + "'\nexec '" + onPath("zfs")
        + "' \"$@\"\n");
    assertThat(wrapper.toFile().setExecutable(true)).isTrue();
    TestNode n1 = node1(pools.pool());
    AgentProcess agent = AgentProcess.start(n1, ETCD.endpoint(), keyFile, logDir,
        Map.of("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH")));
    agents.add(agent);
    awaitNode("node1");
    createDbOnNode1(64);
    for (int i = 1; i <= 5; i++) {
      controller.createDataset("elsewhere-" + i, "node2", Quantity.mebibytes(64), ReclaimPolicy.Retain);
    }
    // A few periodic looks to settle (the first looks at everything of this node once)...
    awaitPasses(n1, metric(n1, "ferry_agent_resync_passes_total") + 3);
    long linesBefore = Files.readAllLines(commands).size();
    long launchesBefore = metric(n1, "ferry_agent_zfs_launches_total");
    // ...then two more of a steady node.
    long passes = awaitPasses(n1, metric(n1, "ferry_agent_resync_passes_total") + 2);

    List<String> all = Files.readAllLines(commands);
    String root = n1.pool().name() + "/ferry";
    assertThat(all).as("zfs commands of node1's agent").noneMatch(c -> c.contains(root + "/elsewhere-"));
    List<String> steady = all.subList((int) linesBefore, all.size());
    assertThat(steady).as("zfs commands of a steady node1").isNotEmpty()
        .noneMatch(c -> c.contains(root + "/db"))
        .allMatch(c -> c.endsWith(" " + root) || c.endsWith(" " + n1.pool().name()));
    assertThat(steady.stream().filter(c -> c.endsWith(" " + root)).count())
        .as("one listing of the pool per pass").isLessThanOrEqualTo(passes);
    assertThat(metric(n1, "ferry_agent_zfs_launches_total") - launchesBefore).isGreaterThanOrEqualTo(steady.size());
    assertThat(dataset().status().copies()).containsOnlyKeys("node1");
  }

  private static String onPath(String command) {
    for (String d : System.getenv("PATH").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(d, command);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(command + " is not on the PATH");
  }

  /** Waits until the agent counted {@code passes} periodic looks; returns the count then. */
  private static long awaitPasses(TestNode node, long passes) {
    return await().atMost(Duration.ofSeconds(120)).until(() -> metric(node, "ferry_agent_resync_passes_total"),
        n -> n >= passes);
  }

  /** A counter of the agent's {@code /metrics}, as Prometheus scrapes it. */
  private static long metric(TestNode node, String name) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + node.address() + ":" + node.port() + "/metrics"))
        .build();
    String body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    return body.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
        .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .orElseThrow(() -> new AssertionError("no " + name + " in the agent's metrics"));
  }

  /**
   * The source's agent was killed in FinalSync; before it came back, the controller saw its Node
   * go and ended the move RolledBack, leaving the fenced round it had asked for {@code Requested}.
   * The agent started again must not take that round: fencing would leave the copy read-only under
   * the app that the rollback starts on it again, and every later move's first round would fail
   * on the read-only copy (seen in the fault suite's sourceAgentKilledInFinalSyncLosesNothing).
   */
  @Test
  void theRoundOfAMigrationThatEndedWhileTheSourceAgentWasDeadIsNotTaken() throws Exception {
    TestNode n1 = node1(pools.pool());
    TestNode n2 = node2(pools.create());
    AgentProcess source = startBoth(n1, n2);
    createDbOnNode1(64);
    source.close();
    agents.remove(source);
    Migration ended = controller.startMigration("ended", "db", "node1", "node2");
    controller.request("ended", 0, "ferry-ended-0", true, controller.ticket(ended, 0, "", "ferry-ended-0", Clock.systemUTC()));
    Migration m = get(store.get(Kind.MIGRATION, "ended")).orElseThrow();
    get(store.updateStatus(m.withStatus(m.status().withPhase(dev.ferry.api.model.MigrationPhase.RolledBack,
        "node node1 (the source) went away during FinalSync", java.time.Instant.now()))));
    controller.updateDataset("db", s -> new DatasetSpec(s.size(), s.primary(), "", s.reclaimPolicy()));

    start(n1);
    awaitNode("node1");
    // A later move's first round, from the copy the app writes to: it needs the copy writable.
    Migration next = controller.startMigration("next", "db", "node1", "node2");
    controller.request("next", 0, "ferry-next-0", false, controller.ticket(next, 0, "", "ferry-next-0", Clock.systemUTC()));
    Transfer done = controller.awaitRound("next");

    assertThat(done.state()).as(done.message()).isEqualTo(TransferState.Succeeded);
    assertThat(controller.transfer("ended").orElseThrow().state()).as("the ended migration's round")
        .isEqualTo(TransferState.Requested);
    assertThat(driver(n1).snapshots(DB)).extracting(Snapshot::name).doesNotContain("ferry-ended-0");
    assertThat(events("Migration", "ended")).as("events of the ended migration").isEmpty();
  }

  @Test
  void aCopyHereThatNoDatasetGivesThisNodeIsReportedAsAStandbyAndSoJoinsTheNodesView() throws Exception {
    TestNode n1 = node1(pools.pool());
    // A copy left on node1 by a move that ended before it was reported: its Dataset names node2 only,
    // so node1's index has nothing of it.
    driver(n1).create(DB, 64 * MIB);
    controller.createDataset("db", "node2", Quantity.mebibytes(64), ReclaimPolicy.Retain);
    start(n1);

    // node1's agent looks at the copy in its pool, reads its Dataset and reports it as the standby it is.
    controller.awaitCopy("db", "node1", c -> c.readonly() && !c.mounted());
    assertThat(driver(n1).exists(DB)).isTrue();
  }

  /** Creates dataset db with node1 as its primary, as the controller does, and waits until it is mounted. */
  private static void createDbOnNode1(int mebibytes) {
    controller.createDataset("db", "node1", Quantity.mebibytes(mebibytes), ReclaimPolicy.Retain);
    controller.awaitCopy("db", "node1", c -> c.mounted() && !c.readonly());
  }

  private static Dataset dataset() {
    return get(store.get(Kind.DATASET, "db")).orElseThrow();
  }

  private static Condition awaitCondition(String type, java.util.function.Predicate<Condition> wanted) {
    return await().atMost(PATIENCE).until(() -> dataset().status().conditions().stream()
        .filter(c -> c.type().equals(type)).findFirst(), c -> c.isPresent() && wanted.test(c.get())).orElseThrow();
  }

  /**
   * Moves dataset db in three rounds (the last one fenced), then switches as the controller does.
   *
   * @return the guid of the last round's snapshot, the newest both copies hold
   */
  private String move(String name, TestNode from, TestNode to, String common) throws IOException {
    Migration m = controller.startMigration(name, "db", from.name(), to.name());
    String base = common;
    for (int round = 0; round <= 2; round++) {
      DataFiles.write(from.mountpoint("db").resolve(name + "-round-" + round + ".bin"), MIB / 2, round + 20);
      String snapshot = "ferry-" + name + "-" + round;
      controller.request(name, round, snapshot, round == 2, controller.ticket(m, round, base, snapshot, Clock.systemUTC()));
      Transfer done = controller.awaitRound(name);
      assertThat(done.state()).as(done.message()).isEqualTo(TransferState.Succeeded);
      assertThat(done.baseGuid()).as("round %d of %s sent from", round, name).isEqualTo(base);
      if (round >= 1) {
        // The fenced round takes its holds alongside its stream: they are there once it succeeded.
        assertThat(driver(from).heldSnapshots(DB)).as("held on the source during the migration, round %d", round)
            .containsExactlyInAnyOrder("ferry-" + name + "-" + (round - 1), "ferry-" + name + "-" + round);
      }
      base = done.guid();
    }
    controller.updateDataset("db", s -> new DatasetSpec(s.size(), to.name(), "", s.reclaimPolicy()));
    controller.awaitCopy("db", to.name(), c -> c.mounted() && !c.readonly());
    return base;
  }

  private static List<EventSpec> events(String kind, String name) {
    return get(store.list(Kind.EVENT, LabelSelector.EVERYTHING)).items().stream().map(Event::spec)
        .filter(e -> e.involvedObject().kind().equals(kind) && e.involvedObject().name().equals(name)).toList();
  }

  private static List<String> ferrySnapshots(DatasetCopy copy) {
    return copy.snapshots().stream().filter(s -> s.name().startsWith("ferry-")).map(Snapshot::guid).toList();
  }

  private static ZfsDriver driver(TestNode node) {
    return ZfsDriver.detect(new ZfsLayout(node.pool().name(), node.pool().mountRoot()), ZfsCli.standard());
  }

  private TestNode node1(ZfsPoolExtension.Pool pool) {
    return new TestNode("node1", "127.0.1.1", FreePort.pick(), pool, "disk:spinning;rack:a");
  }

  private TestNode node2(ZfsPoolExtension.Pool pool) {
    return new TestNode("node2", "127.0.1.2", FreePort.pick(), pool, "disk:ssd");
  }

  private AgentProcess start(TestNode node) {
    AgentProcess agent = AgentProcess.start(node, ETCD.endpoint(), keyFile, logDir);
    agents.add(agent);
    return agent;
  }

  /** Starts both agents and waits for both Nodes, as the controller checks before a migration. */
  private AgentProcess startBoth(TestNode first, TestNode second) {
    AgentProcess agent = start(first);
    start(second);
    awaitNode(first.name());
    awaitNode(second.name());
    return agent;
  }

  private Node awaitNode(String name) {
    return await().atMost(PATIENCE).until(() -> get(store.get(Kind.NODE, name)), Optional::isPresent).orElseThrow();
  }
}
