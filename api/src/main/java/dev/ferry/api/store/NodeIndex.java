package dev.ferry.api.store;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes an object concerns: the store keeps a copy of each Dataset and Migration under
 * every node it concerns ({@code <keyPrefix>-index/nodes/<node>/<plural>/<name>}), written in
 * the same etcd transaction as the object, so that a node agent watches only its node's prefix
 * ({@link EtcdStore#watchNode}) and never receives another node's objects.
 *
 * <ul>
 *   <li>A Dataset concerns its primary, every node with a copy in {@code status.copies}, and the
 *       source and target of the Migration its {@code spec.migration} names (as that Migration's
 *       spec says at the time of the Dataset's write; a Migration's spec does not change).
 *   <li>A Migration concerns its source and target.
 * </ul>
 *
 * Pure: the store reads the owning Migration and passes it in.
 */
public final class NodeIndex {

  private NodeIndex() {}

  /** The kinds indexed by node: the only ones a node agent watches. */
  public static boolean indexes(Kind<?, ?, ?> kind) {
    return kind.equals(Kind.DATASET) || kind.equals(Kind.MIGRATION);
  }

  /** The nodes a Dataset concerns, given the spec of the Migration that owns it (if it exists). */
  public static Set<String> nodes(Dataset dataset, Optional<MigrationSpec> owner) {
    Set<String> nodes = new TreeSet<>(dataset.status().copies().keySet());
    nodes.add(dataset.spec().primary());
    owner.ifPresent(m -> {
      nodes.add(m.from());
      nodes.add(m.to());
    });
    nodes.remove("");
    return nodes;
  }

  /** The nodes a Migration concerns: its source and target. */
  public static Set<String> nodes(Migration migration) {
    Set<String> nodes = new TreeSet<>(Set.of(migration.spec().from(), migration.spec().to()));
    nodes.remove("");
    return nodes;
  }

  /**
   * The Migration whose nodes a Dataset's index entries include: the one its {@code
   * spec.migration} names; empty for a Migration or a Dataset that no migration owns.
   */
  static Optional<String> owner(FerryObject<?, ?, ?> object) {
    return object instanceof Dataset d && !d.spec().migration().isEmpty()
        ? Optional.of(d.spec().migration()) : Optional.empty();
  }

  /** The nodes {@code object} concerns, {@code owner} being the spec {@link #owner} named, if found. */
  static Set<String> nodesOf(FerryObject<?, ?, ?> object, Optional<MigrationSpec> owner) {
    if (object instanceof Dataset d) {
      return nodes(d, owner);
    }
    if (object instanceof Migration m) {
      return nodes(m);
    }
    return Set.of();
  }
}
