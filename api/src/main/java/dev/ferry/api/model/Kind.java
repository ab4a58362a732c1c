package dev.ferry.api.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A kind of Ferry object: its name ({@code StatefulApp}), its plural as it appears in etcd keys
 * and URLs ({@code statefulapps}), and its Java types.
 *
 * @param userWritable whether users may create objects of this kind (Nodes and Events are
 *     written by Ferry's own processes only)
 */
public record Kind<O extends FerryObject<O, S, T>, S, T>(
    String name, String plural, Class<O> type, Class<S> specType, Class<T> statusType, boolean userWritable) {

  public static final Kind<StatefulApp, StatefulAppSpec, StatefulAppStatus> STATEFUL_APP = new Kind<>(
      StatefulApp.KIND, "statefulapps", StatefulApp.class, StatefulAppSpec.class, StatefulAppStatus.class, true);
  public static final Kind<Node, NodeSpec, NodeStatus> NODE =
      new Kind<>(Node.KIND, "nodes", Node.class, NodeSpec.class, NodeStatus.class, false);
  public static final Kind<Dataset, DatasetSpec, DatasetStatus> DATASET =
      new Kind<>(Dataset.KIND, "datasets", Dataset.class, DatasetSpec.class, DatasetStatus.class, true);
  public static final Kind<Migration, MigrationSpec, MigrationStatus> MIGRATION = new Kind<>(
      Migration.KIND, "migrations", Migration.class, MigrationSpec.class, MigrationStatus.class, true);
  public static final Kind<Event, EventSpec, EventStatus> EVENT =
      new Kind<>(Event.KIND, "events", Event.class, EventSpec.class, EventStatus.class, false);
  public static final Kind<GitSource, GitSourceSpec, GitSourceStatus> GIT_SOURCE = new Kind<>(
      GitSource.KIND, "gitsources", GitSource.class, GitSourceSpec.class, GitSourceStatus.class, true);

  public static final List<Kind<?, ?, ?>> ALL =
      List.of(STATEFUL_APP, NODE, DATASET, MIGRATION, EVENT, GIT_SOURCE);

  /** Finds a kind by its name, its plural or its singular lower-case name, ignoring case. */
  public static Optional<Kind<?, ?, ?>> find(String nameOrPlural) {
    String wanted = nameOrPlural.toLowerCase(Locale.ROOT);
    return ALL.stream()
        .filter(k -> k.name.toLowerCase(Locale.ROOT).equals(wanted) || k.plural.equals(wanted))
        .findFirst();
  }

  /** The names users may write, for error messages. */
  public static String names() {
    return String.join(", ", ALL.stream().map(Kind::name).toList());
  }

  /** The classpath location of this kind's schema. */
  public String schemaResource() {
    return "crds/" + name.toLowerCase(Locale.ROOT) + ".yaml";
  }

  /** Casts an object known to be of this kind. */
  public O cast(FerryObject<?, ?, ?> object) {
    return type.cast(object);
  }

  @Override
  public String toString() {
    return name;
  }
}
