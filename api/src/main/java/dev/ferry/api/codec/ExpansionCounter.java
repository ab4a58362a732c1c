package dev.ferry.api.codec;

import dev.ferry.api.validation.FieldPath;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Counts, from one document's parser events, how many nodes the document expands to once every
 * alias stands for a copy of what its anchor names, and where in the document that count first
 * passes a limit. Nothing is built: an anchored node's expanded size is remembered as a number,
 * so sixteen anchors of three aliases each (3^16 nodes once expanded) cost sixteen entries.
 *
 * <p>One counter per document (anchors do not cross documents). Keys count as nodes too.
 */
final class ExpansionCounter {

  private final long maxNodes;
  private final Deque<Frame> open = new ArrayDeque<>();
  private final Map<String, Long> anchored = new HashMap<>();
  private long total;

  ExpansionCounter(long maxNodes) {
    this.maxNodes = maxNodes;
  }

  /** An open mapping or sequence: its path, its own expanded size so far, where its next child goes. */
  private static final class Frame {
    final boolean mapping;
    final String anchor;
    final FieldPath path;
    long nodes = 1;
    int items;
    boolean atKey = true;
    String key = "";

    Frame(boolean mapping, String anchor, FieldPath path) {
      this.mapping = mapping;
      this.anchor = anchor;
      this.path = path;
    }

    FieldPath next() {
      if (!mapping) {
        return path.index(items);
      }
      return atKey ? path : path.child(key);
    }
  }

  /**
   * Counts one parser event of the document.
   *
   * @return the path of the node at which the document passed the limit, once it has
   */
  Optional<FieldPath> count(org.yaml.snakeyaml.events.Event event) {
    if (event instanceof CollectionStartEvent start) {
      FieldPath at = here();
      open.push(new Frame(start instanceof MappingStartEvent, start.getAnchor(), at));
      return add(1, at);
    }
    if (event instanceof CollectionEndEvent && !open.isEmpty()) {
      Frame done = open.pop();
      remember(done.anchor, done.nodes);
      completed(done.nodes, "");
      return Optional.empty();
    }
    if (event instanceof AliasEvent alias) {
      long size = anchored.getOrDefault(alias.getAnchor(), 1L);
      FieldPath at = here();
      completed(size, "*" + alias.getAnchor());
      return add(size, at);
    }
    if (event instanceof ScalarEvent scalar) {
      FieldPath at = here();
      remember(scalar.getAnchor(), 1);
      completed(1, scalar.getValue());
      return add(1, at);
    }
    return Optional.empty();
  }

  private FieldPath here() {
    return open.isEmpty() ? FieldPath.root() : open.peek().next();
  }

  private void remember(String anchor, long nodes) {
    if (anchor != null) {
      anchored.put(anchor, nodes);
    }
  }

  /** A child of the innermost open collection is complete: add its size and move past it. */
  private void completed(long nodes, String asKey) {
    Frame parent = open.peek();
    if (parent == null) {
      return;
    }
    parent.nodes += nodes;
    if (!parent.mapping) {
      parent.items++;
    } else if (parent.atKey) {
      parent.key = asKey.isEmpty() ? "?" : asKey;
      parent.atKey = false;
    } else {
      parent.atKey = true;
    }
  }

  private Optional<FieldPath> add(long nodes, FieldPath at) {
    // Each addition is at most the total so far (an alias repeats nodes already counted), and
    // the count stops at the first one past the limit: no overflow.
    total += nodes;
    return total > maxNodes ? Optional.of(at) : Optional.empty();
  }
}
