package dev.ferry.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.agent.metrics.AgentProbes;
import dev.ferry.agent.metrics.TransferBytes;
import dev.ferry.agent.testing.DataFiles;
import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.ZfsCli;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsLayout;
import dev.ferry.api.metrics.PrometheusMetrics;
import dev.ferry.api.model.Snapshot;
import dev.ferry.api.tls.ClusterCa;
import dev.ferry.api.tls.SslContexts;
import dev.ferry.api.tls.TlsFiles;
import dev.ferry.api.transfer.AgentRequest;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.api.transfer.TransferTicket;
import dev.ferry.testing.ZfsPoolExtension;
import dev.ferry.testing.ZfsPoolExtension.Pool;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's certificate is its identity (issue 11): over mutual TLS, node3's agent, which holds
 * the cluster key and a certificate of the cluster CA, still cannot send node1's stream to node2
 * or read node2's snapshots as node1; node1 itself can. Real zfs-fuse pools, the real server.
 */
class AgentIdentityTest {

  private static final long MIB = 1 << 20;
  private static final DatasetName DB = DatasetName.of("db");
  private static final ClusterKey KEY = ClusterKey.random();
  private static final String NODE1 = "127.0.1.1";
  private static final String NODE2 = "127.0.1.2";
  private static final String NODE3 = "127.0.1.3";

  @RegisterExtension
  final ZfsPoolExtension pools = ZfsPoolExtension.perTest();

  @TempDir
  Path tls;

  @TempDir
  Path targetState;

  private Vertx vertx;
  private ZfsDriver source;
  private ZfsDriver target;
  private Pool sourcePool;
  private TlsFiles node1;
  private TlsFiles node3;
  private TlsFiles controller;
  private int port;
  private final PrometheusMetrics metrics = new PrometheusMetrics();
  private final TransferBytes counted = TransferBytes.register(metrics.registry());

  @BeforeEach
  void cluster(Pool node1Pool) throws Exception {
    vertx = Vertx.vertx();
    sourcePool = node1Pool;
    source = driver(node1Pool);
    target = driver(pools.create());
    ClusterCa ca = ClusterCa.create("test CA");
    ca.writeTo(tls);
    node1 = ca.issue("agent-node1", List.of(NODE1), tls);
    TlsFiles node2 = ca.issue("agent-node2", List.of(NODE2), tls);
    node3 = ca.issue("agent-node3", List.of(NODE3), tls);
    controller = ca.issue("controller", List.of("127.0.0.1"), tls);
    Clock clock = Clock.systemUTC();
    TransferServer server = new TransferServer(vertx, new AgentRequest(KEY, "node2", clock),
        new TicketVerifier(KEY, "node2", clock, UsedNonces.open(targetState, clock)),
        new TransferReceiver(target, d -> false), p -> { }, counted, new AgentProbes(metrics, () -> true));
    port = server.listen(NODE2, 0, Optional.of(node2)).await(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (vertx != null) {
        vertx.close().await(20, TimeUnit.SECONDS);
      }
    } finally {
      metrics.close();
    }
  }

  private static ZfsDriver driver(Pool pool) {
    ZfsDriver driver = ZfsDriver.detect(new ZfsLayout(pool.name(), pool.mountRoot()), ZfsCli.standard());
    driver.ensureRoot();
    return driver;
  }

  /** node1's round: the ticket the controller grants for a stream from node1 to node2. */
  private static String ticket(Snapshot snapshot) {
    return TransferTicket.issue("uid-1", 0, "db", "node1", "node2", "", snapshot.name(), Duration.ofMinutes(5),
        Clock.systemUTC()).encode(KEY);
  }

  /** Sends with {@code certificate} on the wire and a credential that says {@code claimed}. */
  private TransferResult send(TlsFiles certificate, String claimed, String from, String ticket, String snapshot) {
    return send(certificate, claimed, from, NODE2, port, ticket, snapshot);
  }

  /** The same, to the agent at {@code host:at}. */
  private TransferResult send(TlsFiles certificate, String claimed, String from, String host, int at, String ticket,
      String snapshot) {
    TransferClient client = new TransferClient(vertx, source, from, counted, Optional.of(certificate), KEY,
        new AgentRequest(KEY, claimed, Clock.systemUTC()), TransferCap.unlimited());
    try {
      return client.send(new TransferRequest(host, at, ticket, DB, Optional.empty(), snapshot), p -> { })
          .await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    } finally {
      client.close();
    }
  }

  private HttpResponse<String> snapshots(SSLContext tlsContext, String claimed) throws Exception {
    String path = "/v1/datasets/db/snapshots";
    HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + NODE2 + ":" + port + path))
        .header("Authorization", new AgentRequest(KEY, claimed, Clock.systemUTC()).sign("node2", "GET", path, ""))
        .timeout(Duration.ofSeconds(20)).GET().build();
    return HttpClient.newBuilder().sslContext(tlsContext).build().send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anotherAgentCannotSendANodesStreamUnderItsNameButThatNodeCan() throws Exception {
    source.create(DB, 64 * MIB);
    DataFiles.write(sourcePool.mountRoot().resolve("db").resolve("a.bin"), MIB, 7);
    Snapshot s1 = source.snapshot(DB, "s1");
    String ticket = ticket(s1);

    // node3's agent holds the cluster key and its own certificate, and says it is node1.
    assertThatThrownBy(() -> send(node3, "node1", NODE3, ticket, "s1"))
        .cause().isInstanceOfSatisfying(TransferRefusedException.class, refused -> {
          assertThat(refused.status()).isEqualTo(403);
          assertThat(refused.reason()).isEqualTo("WrongNode");
        })
        .hasMessage("the client certificate is node node3's (CN=agent-node3), but the request claims to come from"
            + " node node1");
    assertThat(target.exists(DB)).as("zfs list on node2 shows no db").isFalse();

    TransferResult sent = send(node1, "node1", NODE1, ticket, "s1");
    assertThat(sent.guid()).isEqualTo(s1.guid());
    assertThat(target.snapshots(DB)).containsExactly(s1);
  }

  @Test
  void everyRouteRefusesACertificateThatNamesAnotherNodeThanTheCredential() throws Exception {
    HttpResponse<String> asItself = snapshots(SslContexts.mutual(node1), "node1");
    HttpResponse<String> asNode1 = snapshots(SslContexts.mutual(node3), "node1");
    HttpResponse<String> controllerAsNode1 = snapshots(SslContexts.mutual(controller), "node1");

    assertThat(asItself.statusCode()).as(asItself.body()).isEqualTo(404);
    assertThat(asNode1.statusCode()).isEqualTo(403);
    assertThat(asNode1.body()).contains("WrongNode").contains("node node3's").contains("claims to come from node node1");
    assertThat(controllerAsNode1.statusCode()).isEqualTo(403);
    assertThat(controllerAsNode1.body()).contains("no node agent's");
  }

  /**
   * Node3's agent rewrote Node node2's address in etcd to its own: node1 calls it for node2's
   * round, sees from its certificate that it is node3's, and sends it nothing.
   */
  @Test
  void aSenderSendsNothingToAnAgentWhoseCertificateNamesAnotherNodeThanTheTarget() throws Exception {
    source.create(DB, 64 * MIB);
    DataFiles.write(sourcePool.mountRoot().resolve("db").resolve("a.bin"), MIB, 7);
    Snapshot s1 = source.snapshot(DB, "s1");
    ZfsDriver liarPool = driver(pools.create());
    Clock clock = Clock.systemUTC();
    TransferServer liar = new TransferServer(vertx, new AgentRequest(KEY, "node2", clock),
        new TicketVerifier(KEY, "node2", clock, UsedNonces.open(targetState.resolve("liar"), clock)),
        new TransferReceiver(liarPool, d -> false), p -> { }, counted, new AgentProbes(metrics, () -> true));
    int liarPort = liar.listen(NODE3, 0, Optional.of(node3)).await(20, TimeUnit.SECONDS);

    assertThatThrownBy(() -> send(node1, "node1", NODE1, NODE3, liarPort, ticket(s1), "s1"))
        .cause().isInstanceOfSatisfying(TransferRefusedException.class, e -> assertThat(e.reason()).isEqualTo("WrongNode"))
        .hasMessageContaining("is node node3's (its certificate), not node node2's: nothing is sent to it");
    assertThat(liarPool.exists(DB)).as("zfs list on node3 shows no db").isFalse();
  }
}
