package dev.ferry.api.store;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One page of a list, read at one etcd revision ({@link EtcdStore#listPage}).
 *
 * @param items the objects of this page that match, sorted by name
 * @param revision the revision every page of this list is read at: a watch from
 *     {@code revision + 1} misses nothing that happened after the whole list
 * @param continueAfter when more objects may follow: the name of the last key this page
 *     examined, from which the next page reads on; empty on the last page
 * @param remainingItemCount how many objects follow this page, when that is known without
 *     reading them (a list without a label selector); empty otherwise
 */
public record ListPage<O>(List<O> items, long revision, Optional<String> continueAfter,
    OptionalLong remainingItemCount) {

  public ListPage {
    items = List.copyOf(items);
  }
}
