package dev.ferry.example.redis;

import java.util.List;
import java.util.Optional;

/** One reply of Redis's protocol (RESP2). */
public sealed interface RespReply {

  /** {@code +OK}. */
  record Simple(String text) implements RespReply {}

  /** {@code -ERR ...}: Redis refused the command. */
  record Error(String message) implements RespReply {

    /** Redis is still loading its append-only file after a start: ask again shortly. */
    public boolean isLoading() {
      return message.startsWith("LOADING");
    }
  }

  /** {@code :42}. */
  record Integer(long value) implements RespReply {}

  /** {@code $5 hello}, or the nil reply ({@code $-1}) as an empty value. */
  record Bulk(Optional<String> value) implements RespReply {}

  /** {@code *2 ...}, or the nil array as an empty list. */
  record Array(List<RespReply> items) implements RespReply {
    public Array {
      items = List.copyOf(items);
    }
  }
}
