package dev.ferry.api.store;

import java.util.List;

/**
 * The objects of a list, sorted by name, and the etcd revision they were read at: a watch from
 * {@code revision + 1} misses nothing that happened after the list.
 */
public record ObjectList<O>(List<O> items, long revision) {

  public ObjectList {
    items = List.copyOf(items);
  }
}
