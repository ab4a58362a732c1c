package dev.ferry.api.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TransferReceiptTest {

  private static final ClusterKey KEY = ClusterKey.random();
  private static final TransferTicket TICKET = new TransferTicket("uid-1", 3, "db", "node1", "node2", "11", "s3",
      Instant.parse("2030-01-01T00:00:00Z"), "abcdefghijklmnopqrstuvwx");

  @Test
  void aReceiptNamesTheGuidAndTheTicketItWasSignedFor() {
    String receipt = TransferReceipt.sign(KEY, TICKET, "4242");

    assertThat(TransferReceipt.verify(KEY, TICKET, "4242", receipt)).isTrue();
    assertThat(TransferReceipt.verify(KEY, TICKET, "4243", receipt)).as("another guid").isFalse();
    assertThat(TransferReceipt.verify(ClusterKey.random(), TICKET, "4242", receipt)).as("another key").isFalse();
    TransferTicket nextRound = new TransferTicket("uid-1", 4, "db", "node1", "node2", "11", "s3", TICKET.expiresAt(),
        TICKET.nonce());
    assertThat(TransferReceipt.verify(KEY, nextRound, "4242", receipt)).as("another round").isFalse();
    TransferTicket retry = new TransferTicket("uid-1", 3, "db", "node1", "node2", "11", "s3", TICKET.expiresAt(),
        "zyxwvutsrqponmlkjihgfedc");
    assertThat(TransferReceipt.verify(KEY, retry, "4242", receipt)).as("another attempt's ticket").isFalse();
  }

  @Test
  void aForgedOrMalformedReceiptIsNotTrusted() {
    assertThat(TransferReceipt.verify(KEY, TICKET, "4242", TransferReceipt.sign(ClusterKey.random(), TICKET, "4242")))
        .isFalse();
    assertThat(TransferReceipt.verify(KEY, TICKET, "4242", "")).isFalse();
    assertThat(TransferReceipt.verify(KEY, TICKET, "4242", "!!not base64!!")).isFalse();
  }
}
