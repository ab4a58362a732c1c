package dev.ferry.example.redis;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Encodes commands and decodes replies of RESP2, incrementally: bytes are appended as they
 * arrive and {@link #next()} returns a reply once all of it is there. Pure (no I/O), so the
 * parsing is tested on byte strings alone.
 */
public final class RespCodec {

  private Buffer pending = Buffer.buffer();
  private int position;

  /** A command as RESP's array of bulk strings: arguments are never interpreted. */
  public static Buffer encode(List<String> command) {
    Buffer out = Buffer.buffer();
    out.appendString("*" + command.size() + "\r\n");
    for (String argument : command) {
      byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
      out.appendString("$" + bytes.length + "\r\n").appendBytes(bytes).appendString("\r\n");
    }
    return out;
  }

  /** Adds bytes read from the connection. */
  public void append(Buffer bytes) {
    pending.appendBuffer(bytes);
  }

  /**
   * The next complete reply, or empty while its bytes have not all arrived.
   *
   * @throws IllegalStateException if the bytes are not RESP
   */
  public Optional<RespReply> next() {
    position = 0;
    Optional<RespReply> reply = parse();
    if (reply.isPresent()) {
      pending = pending.getBuffer(position, pending.length());
    }
    return reply;
  }

  private Optional<RespReply> parse() {
    if (position >= pending.length()) {
      return Optional.empty();
    }
    byte type = pending.getByte(position++);
    Optional<String> line = line();
    if (line.isEmpty()) {
      return Optional.empty();
    }
    String text = line.get();
    return switch (type) {
      case '+' -> Optional.of(new RespReply.Simple(text));
      case '-' -> Optional.of(new RespReply.Error(text));
      case ':' -> Optional.of(new RespReply.Integer(Long.parseLong(text)));
      case '$' -> bulk(Integer.parseInt(text));
      case '*' -> array(Integer.parseInt(text));
      default -> throw new IllegalStateException("not a RESP reply: type byte " + type);
    };
  }

  private Optional<RespReply> bulk(int length) {
    if (length < 0) {
      return Optional.of(new RespReply.Bulk(Optional.empty()));
    }
    if (pending.length() < position + length + 2) {
      return Optional.empty();
    }
    String value = pending.getString(position, position + length, StandardCharsets.UTF_8.name());
    position += length + 2;
    return Optional.of(new RespReply.Bulk(Optional.of(value)));
  }

  private Optional<RespReply> array(int count) {
    List<RespReply> items = new ArrayList<>(Math.max(count, 0));
    for (int i = 0; i < count; i++) {
      Optional<RespReply> item = parse();
      if (item.isEmpty()) {
        return Optional.empty();
      }
      items.add(item.get());
    }
    return Optional.of(new RespReply.Array(items));
  }

  /** The text up to the next CRLF, consuming it; empty if no CRLF has arrived yet. */
  private Optional<String> line() {
    for (int i = position; i + 1 < pending.length(); i++) {
      if (pending.getByte(i) == '\r' && pending.getByte(i + 1) == '\n') {
        String text = pending.getString(position, i, StandardCharsets.UTF_8.name());
        position = i + 2;
        return Optional.of(text);
      }
    }
    return Optional.empty();
  }
}
