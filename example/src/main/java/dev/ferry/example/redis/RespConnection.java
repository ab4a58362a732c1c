package dev.ferry.example.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;

/**
 * One TCP connection to Redis. Commands are pipelined: Redis answers in order, so each reply
 * completes the oldest waiting command. When the connection drops, every waiting command fails
 * with an {@link IOException}, whether or not Redis ran it: the caller decides whether to retry.
 * Used from one Vert.x context only.
 */
final class RespConnection {

  private final NetSocket socket;
  private final RespCodec codec = new RespCodec();
  private final Queue<Promise<RespReply>> waiting = new ArrayDeque<>();
  private Optional<IOException> closed = Optional.empty();

  private RespConnection(NetSocket socket) {
    this.socket = socket;
  }

  static Future<RespConnection> open(NetClient client, RedisAddress address) {
    return client.connect(address.port(), address.host()).map(socket -> {
      RespConnection connection = new RespConnection(socket);
      socket.handler(connection::received);
      socket.exceptionHandler(e -> connection.fail(new IOException("connection to Redis at " + address + " failed: " + e.getMessage(), e)));
      socket.closeHandler(v -> connection.fail(new IOException("Redis at " + address + " closed the connection")));
      return connection;
    });
  }

  boolean isOpen() {
    return closed.isEmpty();
  }

  Future<RespReply> send(List<String> command) {
    if (closed.isPresent()) {
      return Future.failedFuture(closed.get());
    }
    Promise<RespReply> reply = Promise.promise();
    waiting.add(reply);
    socket.write(RespCodec.encode(command));
    return reply.future();
  }

  void close() {
    fail(new IOException("connection to Redis closed by the app"));
    socket.close();
  }

  private void received(io.vertx.core.buffer.Buffer bytes) {
    codec.append(bytes);
    try {
      for (Optional<RespReply> reply = codec.next(); reply.isPresent(); reply = codec.next()) {
        Promise<RespReply> oldest = waiting.poll();
        if (oldest == null) {
          throw new IllegalStateException("Redis sent a reply nobody asked for");
        }
        oldest.complete(reply.get());
      }
    } catch (RuntimeException e) {
      fail(new IOException("unreadable reply from Redis: " + e.getMessage(), e));
      socket.close();
    }
  }

  private void fail(IOException cause) {
    if (closed.isEmpty()) {
      closed = Optional.of(cause);
    }
    for (Promise<RespReply> p = waiting.poll(); p != null; p = waiting.poll()) {
      p.tryFail(closed.get());
    }
  }
}
