package dev.ferry.api.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterKeyTest {

  @TempDir
  Path dir;

  @Test
  void readsThirtyTwoRandomBytesWrittenAsHex() throws Exception {
    Path file = Files.writeString(dir.resolve("cluster.key"), randomHex(32) + "\n");

    ClusterKey key = ClusterKey.fromFile(file);

    assertThat(key.toString()).contains("redacted");
    assertThat(TransferTicket.decode(ticket().encode(key), ClusterKey.fromFile(file))).isEqualTo(ticket());
  }

  /** 64 characters were enough before, but the characters of a password are not bytes of key. */
  @Test
  void strengthIsCountedInBytesOfKeyNotInCharacters() {
    assertThatIllegalArgumentException().isThrownBy(() -> ClusterKey.fromHex("correct-horse-battery-staple-".repeat(3)))
        .withMessageContaining("not hex digits").withMessageContaining("openssl rand -hex 32");
    assertThatIllegalArgumentException().isThrownBy(() -> ClusterKey.fromHex(randomHex(16)))
        .withMessageContaining("holds 16 bytes (32 hex digits), fewer than 32");
    assertThatIllegalArgumentException().isThrownBy(() -> ClusterKey.fromHex("0".repeat(64)))
        .withMessageContaining("not random");
    assertThatIllegalArgumentException().isThrownBy(() -> ClusterKey.fromHex("0123456789abcdef".repeat(8)))
        .withMessageContaining("not random");
  }

  @Test
  void derivedKeysDifferFromEachOtherAndFromTheClusterKey() {
    ClusterKey key = ClusterKey.random();
    byte[] message = "m".getBytes();

    assertThat(key.derive("a").mac(message)).isNotEqualTo(key.derive("b").mac(message)).isNotEqualTo(key.mac(message))
        .isEqualTo(key.derive("a").mac(message));
  }

  private static TransferTicket ticket() {
    return new TransferTicket("uid-1", 0, "db", "node1", "node2", "", "s0", java.time.Instant.parse("2030-01-01T00:00:00Z"),
        "abcdefghijklmnopqrstuvwx");
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
