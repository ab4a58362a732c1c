package dev.ferry.api.store;

import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;

/**
 * One kind of a watch over several kinds ({@link EtcdStore#listAndWatch(java.util.List)},
 * {@link EtcdStore#resume(java.util.List, long)}): which objects of it, and who hears of them.
 */
public record KindWatch<O extends FerryObject<O, S, T>, S, T>(Kind<O, S, T> kind, LabelSelector selector,
    WatchListener<O> listener) {}
