package dev.ferry.agent.transfer;

import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.api.transfer.TicketRejectedException;
import dev.ferry.api.transfer.TransferTicket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TicketVerifierTest {

  private static final ClusterKey KEY = ClusterKey.random();
  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  @TempDir
  Path state;
  private TicketVerifier node2;

  @BeforeEach
  void start() {
    node2 = new TicketVerifier(KEY, "node2", clock, UsedNonces.open(state, clock));
  }

  private TransferTicket ticket(Duration ttl) {
    return TransferTicket.issue("9a8b7c6d-uid", 1, "todos-data", "node1", "node2", "123", "r7", ttl, clock);
  }

  @Test
  void admitsATicketSignedWithTheClusterKey() {
    TransferTicket issued = ticket(Duration.ofMinutes(5));

    TransferTicket admitted = node2.admit(issued.encode(KEY), "todos-data", "node1");

    assertThat(admitted).isEqualTo(issued);
    assertThat(admitted.incremental()).isTrue();
  }

  @Test
  void refusesATicketSignedWithAnotherKey() {
    String forged = ticket(Duration.ofMinutes(5)).encode(ClusterKey.random());

    assertThatThrownBy(() -> node2.admit(forged, "todos-data", "node1"))
        .isInstanceOf(TicketRejectedException.class).hasMessageContaining("signature invalid");
  }

  @Test
  void refusesATicketWhoseFieldsWereChanged() {
    String token = ticket(Duration.ofMinutes(5)).encode(KEY);
    String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
    String widened = payload.replace("\n123\n", "\n\n");
    String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(widened.getBytes())
        + token.substring(token.indexOf('.'));

    assertThatThrownBy(() -> node2.admit(tampered, "todos-data", "node1"))
        .isInstanceOf(TicketRejectedException.class).hasMessageContaining("signature invalid");
  }

  @Test
  void refusesAnExpiredTicket() {
    String token = ticket(Duration.ofMinutes(5)).encode(KEY);
    clock.advance(Duration.ofMinutes(5));

    assertThatThrownBy(() -> node2.admit(token, "todos-data", "node1"))
        .isInstanceOf(TicketRejectedException.class).hasMessageContaining("expired");
  }

  @Test
  void refusesATicketUsedBefore() {
    String token = ticket(Duration.ofMinutes(5)).encode(KEY);
    node2.admit(token, "todos-data", "node1");

    assertThatThrownBy(() -> node2.admit(token, "todos-data", "node1"))
        .isInstanceOf(TicketRejectedException.class).hasMessageContaining("already used");
  }

  @Test
  void aReusedTicketStaysRefusedAfterItsNonceIsForgotten() {
    String token = ticket(Duration.ofMinutes(5)).encode(KEY);
    node2.admit(token, "todos-data", "node1");
    clock.advance(Duration.ofMinutes(6));
    node2.admit(ticket(Duration.ofMinutes(5)).encode(KEY), "todos-data", "node1");

    assertThatThrownBy(() -> node2.admit(token, "todos-data", "node1"))
        .isInstanceOf(TicketRejectedException.class).hasMessageContaining("expired");
  }

  @Test
  void aTicketUsedBeforeARestartStaysRefusedAfterIt() {
    String token = ticket(Duration.ofMinutes(5)).encode(KEY);
    String other = ticket(Duration.ofMinutes(5)).encode(KEY);
    node2.admit(token, "todos-data", "node1");

    TicketVerifier restarted = new TicketVerifier(KEY, "node2", clock, UsedNonces.open(state, clock));

    assertThatThrownBy(() -> restarted.admit(token, "todos-data", "node1"))
        .isInstanceOf(TicketRejectedException.class).hasMessageContaining("already used");
    assertThat(restarted.admit(other, "todos-data", "node1").nonce()).isNotEmpty();
  }

  @Test
  void expiredNoncesAreDroppedFromTheFileAtARestart() throws Exception {
    node2.admit(ticket(Duration.ofMinutes(5)).encode(KEY), "todos-data", "node1");
    clock.advance(Duration.ofMinutes(1));
    String live = ticket(Duration.ofMinutes(5)).encode(KEY);
    node2.admit(live, "todos-data", "node1");
    clock.advance(Duration.ofMinutes(4).plusSeconds(30));

    UsedNonces reopened = UsedNonces.open(state, clock);

    assertThat(reopened.nonces()).containsExactly(TransferTicket.decode(live, KEY).nonce());
    assertThat(Files.readAllLines(state.resolve(UsedNonces.FILE))).hasSize(1);
  }

  @Test
  void refusesATicketSentByAnotherNodeThanItNames() {
    String token = ticket(Duration.ofMinutes(5)).encode(KEY);

    assertThatThrownBy(() -> node2.admit(token, "todos-data", "node3"))
        .isInstanceOf(TicketRejectedException.class).hasMessageContaining("from node node1, but node node3 sent it");
    assertThat(node2.admit(token, "todos-data", "node1").fromNode()).isEqualTo("node1");
  }

  @Test
  void refusesATicketForAnotherNodeOrDataset() {
    String token = ticket(Duration.ofMinutes(5)).encode(KEY);

    TicketVerifier node3 = new TicketVerifier(KEY, "node3", clock, UsedNonces.open(state.resolve("node3"), clock));
    assertThatThrownBy(() -> node3.admit(token, "todos-data", "node1"))
        .isInstanceOf(TicketRejectedException.class).hasMessageContaining("for node node2");
    assertThatThrownBy(() -> node2.admit(token, "other-data", "node1"))
        .isInstanceOf(TicketRejectedException.class).hasMessageContaining("for dataset todos-data");
  }

  @Test
  void refusesATicketValidForTooLong() {
    String token = ticket(Duration.ofDays(1)).encode(KEY);

    assertThatThrownBy(() -> node2.admit(token, "todos-data", "node1"))
        .isInstanceOf(TicketRejectedException.class).hasMessageContaining("longer than the allowed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "abc", "a.b.c", "!!!.???", "Zm9v.Zm9v"})
  void refusesMalformedTickets(String token) {
    assertThatThrownBy(() -> node2.admit(token, "todos-data", "node1")).isInstanceOf(TicketRejectedException.class);
  }

  @Test
  void aFullStreamTicketHasNoBase() {
    TransferTicket full = TransferTicket.issue("9a8b7c6d-uid", 1, "db", "node1", "node2", "", "r0", Duration.ofMinutes(1), clock);

    assertThat(node2.admit(full.encode(KEY), "db", "node1").incremental()).isFalse();
  }

  @Test
  void keysShorterThanTheMacAreRefused() {
    assertThatThrownBy(() -> ClusterKey.of(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    assertThat(KEY.toString()).doesNotContain("=").contains("redacted");
  }

  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
