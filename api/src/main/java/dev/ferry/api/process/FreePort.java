package dev.ferry.api.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks loopback ports that nothing listens on, for test and benchmark servers. */
public final class FreePort {

  private FreePort() {}

  /**
   * A port free on 127.0.0.1 right now. Another process may take it before the caller binds it;
   * on a test machine that is rare enough.
   */
  public static int pick() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
