package dev.ferry.api.store;

import dev.ferry.api.model.Kind;
import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;

/** Where objects live in etcd: {@code <root>/<plural>/<name>}. */
record KeySpace(String root) {

  ByteSequence key(Kind<?, ?, ?> kind, String name) {
    if (name.isEmpty() || name.contains("/")) {
      throw new IllegalArgumentException(kind + " name \"" + name + "\" cannot be stored: it is"
          + " empty or contains '/'");
    }
    return bytes(prefixString(kind) + name);
  }

  ByteSequence prefix(Kind<?, ?, ?> kind) {
    return bytes(prefixString(kind));
  }

  /** The prefix of every kind's keys: one etcd watch over it sees all kinds in revision order. */
  ByteSequence everything() {
    return bytes(root + "/");
  }

  /** The object name a key of this kind stands for. */
  String name(Kind<?, ?, ?> kind, ByteSequence key) {
    return key.toString(StandardCharsets.UTF_8).substring(prefixString(kind).length());
  }

  private String prefixString(Kind<?, ?, ?> kind) {
    return root + "/" + kind.plural() + "/";
  }

  static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
