package dev.ferry.controller.runtime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of Redis's protocol (RESP) for a test to write keys and read them back: each
 * command is sent and its reply read before the next, so a reply means the write was
 * acknowledged (with {@code appendfsync always}, on disk).
 */
final class RedisClient implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  RedisClient(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 2_000);
    socket.setSoTimeout(5_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  /** Sends a command; returns the reply as text (null for a nil bulk reply). */
  String call(String... args) throws IOException {
    StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
    for (String a : args) {
      byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
      command.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
    }
    out.write(command.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    return reply();
  }

  private String reply() throws IOException {
    int type = in.read();
    String line = line();
    switch (type) {
      case '+', ':' -> {
        return line;
      }
      case '-' -> throw new IOException("Redis: " + line);
      case '$' -> {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] data = in.readNBytes(length + 2);
        return new String(data, 0, length, StandardCharsets.UTF_8);
      }
      default -> throw new IOException("unexpected Redis reply type " + type);
    }
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("Redis closed the connection");
      }
      s.append((char) c);
    }
    in.read();
    return s.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
