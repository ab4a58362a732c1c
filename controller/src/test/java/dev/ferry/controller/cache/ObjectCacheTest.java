package dev.ferry.controller.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.MigrationStatus;
import dev.ferry.api.model.ObjectMeta;
import org.junit.jupiter.api.Test;

/** The cache's index, fed as a reconciler feeds it (its own writes, {@link ObjectCache#remember}). */
class ObjectCacheTest {

  private static Migration migration(String name, String app, long version) {
    return new Migration(ObjectMeta.named(name).withResourceVersion(version),
        new MigrationSpec(app, "d", "node1", "node2", null, null, 0)).withStatus(MigrationStatus.EMPTY);
  }

  @Test
  void indexedFindsAnAppsMigrationsAndFollowsAMoveToAnotherKey() {
    ObjectCache<Migration, MigrationSpec, MigrationStatus> cache =
        new ObjectCache<>(Kind.MIGRATION, m -> m.spec().statefulApp());
    cache.remember(migration("db-b", "db", 1));
    cache.remember(migration("db-a", "db", 2));
    cache.remember(migration("web-a", "web", 3));

    assertThat(cache.indexed("db")).extracting(Migration::name).containsExactly("db-a", "db-b");
    assertThat(cache.indexed("web")).extracting(Migration::name).containsExactly("web-a");
    assertThat(cache.indexed("none")).isEmpty();

    // An older version does not replace the newer one, in the objects or in the index.
    cache.remember(migration("db-b", "web", 0));
    assertThat(cache.indexed("db")).extracting(Migration::name).containsExactly("db-a", "db-b");
    cache.remember(migration("db-b", "web", 5));
    assertThat(cache.indexed("db")).extracting(Migration::name).containsExactly("db-a");
    assertThat(cache.indexed("web")).extracting(Migration::name).containsExactly("db-b", "web-a");
  }
}
