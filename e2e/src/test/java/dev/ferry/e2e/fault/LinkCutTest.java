package dev.ferry.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real TCP connections over loopback between addresses of 127.0.9.0/24, which no cluster on the
 * host uses (./ferry up's nodes are on 127.0.1.N), and real nftables rules.
 */
class LinkCutTest {

  private static final String A = "127.0.9.1";
  private static final String B = "127.0.9.2";
  private static final String C = "127.0.9.3";
  /** How long a read or connect waits before the test takes the path for cut. */
  private static final Duration SILENCE = Duration.ofSeconds(3);

  private ServerSocket server;
  private Thread acceptor;

  /** An echo server on B: each line it gets comes back. */
  @BeforeEach
  void startEchoServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getByName(B));
    acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          Thread echo = new Thread(() -> echo(s), "echo");
          echo.setDaemon(true);
          echo.start();
        } catch (IOException e) {
          return;
        }
      }
    }, "echo-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stopEchoServer() throws Exception {
    server.close();
    acceptor.join(10_000);
  }

  @Test
  void dropsNewAndEstablishedConnectionsBetweenTheTwoAddressesOnlyUntilHealed() throws IOException {
    try (Socket established = connect(A)) {
      assertThat(echo(established, "before")).isEqualTo("before");

      String table;
      try (LinkCut cut = LinkCut.between(A, B)) {
        table = cut.table();
        assertThat(table).matches("ferry_test_[0-9a-f]{8}");
        assertThat(cut.active()).isTrue();

        assertThatThrownBy(() -> echo(established, "during")).as("an established connection goes silent")
            .isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(() -> connect(A)).as("a new connection from A hangs")
            .isInstanceOf(SocketTimeoutException.class);
        try (Socket other = connect(C)) {
          assertThat(echo(other, "other path")).as("C to B is not cut").isEqualTo("other path");
        }
        assertThat(cut.active()).isTrue();
      }

      try (Socket again = connect(A)) {
        assertThat(echo(again, "healed")).isEqualTo("healed");
      }
      // A cut, not a reset: TCP delivers what was held back once the path is there again.
      established.setSoTimeout(60_000);
      BufferedReader in = reader(established);
      assertThat(in.readLine()).isEqualTo("during");
      assertThat(echo(established, "after")).isEqualTo("after");
      assertThat(listTables()).doesNotContain(table);
    }
  }

  @Test
  void closingTwiceHealsOnce() {
    LinkCut cut = LinkCut.between(A, C);
    cut.close();
    cut.close();
    assertThat(cut.active()).isFalse();
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource({
      "127.0.9.1; rm -rf /, 127.0.9.2, address '127.0.9.1; rm -rf /' is not an IPv4 address in dotted form",
      "127.0.9.1, node2, address 'node2' is not an IPv4 address in dotted form",
      "127.0.9.256, 127.0.9.2, address '127.0.9.256' is not an IPv4 address in dotted form",
      "::1, 127.0.9.2, address '::1' is not an IPv4 address in dotted form",
      "127.0.9.1, 127.0.9.1, 'a cut needs two different addresses, both are 127.0.9.1'"})
  void refusesWhatIsNotTwoIpv4AddressesAndAddsNoTable(String first, String second, String message) {
    String before = listTables();
    assertThatThrownBy(() -> LinkCut.between(first, second)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThat(listTables()).isEqualTo(before);
  }

  private static String listTables() {
    return dev.ferry.api.process.Command.run("nft", "list", "tables").orThrow().stdout();
  }

  private Socket connect(String from) throws IOException {
    Socket s = new Socket();
    try {
      s.bind(new InetSocketAddress(from, 0));
      s.connect(server.getLocalSocketAddress(), (int) SILENCE.toMillis());
      s.setSoTimeout((int) SILENCE.toMillis());
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private static String echo(Socket s, String line) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    return reader(s).readLine();
  }

  /** A fresh reader: one line is in flight at a time, so what an earlier reader buffered is never lost. */
  private static BufferedReader reader(Socket s) throws IOException {
    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8), 1);
  }

  private static void echo(Socket s) {
    try (s; BufferedReader in = reader(s); OutputStream out = s.getOutputStream()) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      // The client went away.
    }
  }
}
