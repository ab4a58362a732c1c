package dev.ferry.api.store;

import dev.ferry.api.model.Kind;
import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;

/**
 * Where objects live in etcd: {@code <root>/<plural>/<name>}; and the node index ({@link
 * NodeIndex}) beside them, outside {@code <root>/} so that a watch of every kind does not receive
 * it: an object's copy for a node at {@code <root>-index/nodes/<node>/<plural>/<name>}, and the
 * list of the nodes it has one for at {@code <root>-index/holders/<plural>/<name>}.
 */
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

  /** The key space of one node's index: its keys are those of {@link #key} under the node's prefix. */
  KeySpace node(String node) {
    if (node.isEmpty() || node.contains("/")) {
      throw new IllegalArgumentException("node name \"" + node + "\" cannot be indexed: it is empty or contains '/'");
    }
    return new KeySpace(indexRoot() + "/nodes/" + node);
  }

  /** The key space of the holders lists: which nodes each indexed object has an entry for. */
  KeySpace holders() {
    return new KeySpace(indexRoot() + "/holders");
  }

  /** The prefix of every node's index entries. */
  ByteSequence nodes() {
    return bytes(indexRoot() + "/nodes/");
  }

  private String indexRoot() {
    return root + "-index";
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
