package dev.ferry.api.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TransferTicketTest {

  private static final ClusterKey KEY = ClusterKey.random();
  private static final String UID = "6f1c2a7e-93b0-4d5e-8a41-0c2f3b9d7e11";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void carriesTheSnapshotNameTheControllerChoseBeforeTheSnapshotExists() {
    TransferTicket issued = TransferTicket.issue(UID, 2, "todos-data", "node1", "node2", "123", "m1-r2",
        Duration.ofMinutes(5), CLOCK);

    TransferTicket decoded = TransferTicket.decode(issued.encode(KEY), KEY);

    assertThat(decoded).isEqualTo(issued);
    assertThat(decoded.snapshot()).isEqualTo("m1-r2");
    assertThat(decoded.baseGuid()).isEqualTo("123");
    assertThat(decoded.expiresAt()).isEqualTo(Instant.parse("2025-01-01T00:05:00Z"));
    assertThat(decoded.incremental()).isTrue();
  }

  @Test
  void bindsTheMigrationAndTheRound() {
    String token = TransferTicket.issue(UID, 2, "db", "node1", "node2", "", "s1", Duration.ofMinutes(1), CLOCK)
        .encode(KEY);
    TransferTicket decoded = TransferTicket.decode(token, KEY);
    assertThat(decoded.migrationUid()).isEqualTo(UID);
    assertThat(decoded.round()).isEqualTo(2);

    String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
    String otherRound = Base64.getUrlEncoder().withoutPadding().encodeToString(
        payload.replace(UID + "\n2\n", UID + "\n3\n").getBytes()) + token.substring(token.indexOf('.'));
    assertThat(otherRound).isNotEqualTo(token);
    assertThatThrownBy(() -> TransferTicket.decode(otherRound, KEY))
        .isInstanceOf(TicketRejectedException.class).hasMessageContaining("signature invalid");
  }

  @Test
  void aFullStreamHasNoBase() {
    TransferTicket full = TransferTicket.issue(UID, 2, "db", "node1", "node2", "", "m1-r0", Duration.ofMinutes(1), CLOCK);

    assertThat(TransferTicket.decode(full.encode(KEY), KEY).incremental()).isFalse();
  }

  @Test
  void aTicketSignedWithAnotherKeyIsRefused() {
    String forged = TransferTicket.issue(UID, 2, "db", "node1", "node2", "", "s1", Duration.ofMinutes(1), CLOCK)
        .encode(ClusterKey.random());

    assertThatThrownBy(() -> TransferTicket.decode(forged, KEY))
        .isInstanceOf(TicketRejectedException.class).hasMessageContaining("signature invalid");
  }

  @Test
  void changingTheSnapshotNameBreaksTheSignature() {
    String token = TransferTicket.issue(UID, 2, "db", "node1", "node2", "", "s1", Duration.ofMinutes(1), CLOCK).encode(KEY);
    String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
    String other = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.replace("\ns1\n", "\ns2\n").getBytes())
        + token.substring(token.indexOf('.'));

    assertThatThrownBy(() -> TransferTicket.decode(other, KEY))
        .isInstanceOf(TicketRejectedException.class).hasMessageContaining("signature invalid");
  }

  @Test
  void fieldsThatCouldReachAZfsCommandMustBeLabels() {
    assertThatIllegalArgumentException().isThrownBy(() -> TransferTicket.issue(UID, 2, "db", "node1", "node2", "",
        "a@b", Duration.ofMinutes(1), CLOCK)).withMessageContaining("snapshot name");
    assertThatIllegalArgumentException().isThrownBy(() -> TransferTicket.issue(UID, 2, "db", "node1", "node2", "",
        "", Duration.ofMinutes(1), CLOCK)).withMessageContaining("snapshot name must not be empty");
    assertThatIllegalArgumentException().isThrownBy(() -> TransferTicket.issue(UID, 2, "pool/db", "node1", "node2", "",
        "s1", Duration.ofMinutes(1), CLOCK)).withMessageContaining("dataset name");
    assertThatIllegalArgumentException().isThrownBy(() -> TransferTicket.issue(UID, 2, "db", "node1", "node2", "12x",
        "s1", Duration.ofMinutes(1), CLOCK)).withMessageContaining("not a ZFS guid");
  }
}
