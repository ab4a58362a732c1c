package dev.ferry.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.ReclaimPolicy;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.validation.UserWrites.Claim;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules for what users may write of the controller's state, as tables. */
class UserWritesTest {

  static final Dataset STORED = new Dataset(ObjectMeta.named("db-data"),
      new DatasetSpec(Quantity.parse("1Gi"), "node1", "db-move", ReclaimPolicy.Retain));
  static final StatefulApp APP = read(Kind.STATEFUL_APP, """
      apiVersion: ferry/v1
      kind: StatefulApp
      metadata: {name: db}
      spec:
        app: {cmd: redis-server, instances: 1}
        dataset: {name: db-data, size: 1Gi}
      """);
  static final StatefulApp NO_DATA = read(Kind.STATEFUL_APP, """
      apiVersion: ferry/v1
      kind: StatefulApp
      metadata: {name: db}
      spec:
        app: {cmd: redis-server, instances: 1}
      """);

  static <O extends FerryObject<O, ?, ?>> O read(Kind<O, ?, ?> kind, String yaml) {
    return kind.cast(Manifests.read(yaml).get(0));
  }

  static Dataset userDataset(String spec) {
    return read(Kind.DATASET, "apiVersion: ferry/v1\nkind: Dataset\nmetadata: {name: db-data}\nspec: {" + spec + "}\n");
  }

  static Migration migration(String spec) {
    return read(Kind.MIGRATION, "apiVersion: ferry/v1\nkind: Migration\nmetadata: {name: m1}\nspec: {" + spec + "}\n");
  }

  static FieldError refusal(Runnable write) {
    ValidationException e = catchThrowableOfType(ValidationException.class, write::run);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.errors()).hasSize(1);
    return e.errors().get(0);
  }

  static Stream<Arguments> datasetWrites() {
    return Stream.of(
        Arguments.of("size: 2Gi", "", "2Gi"),
        Arguments.of("size: 1Gi, primary: node1, migration: db-move", "", "1Gi"),
        Arguments.of("size: 1Gi, primary: node2", "spec.primary", "is the controller's to set, and is 'node1'"),
        Arguments.of("size: 1Gi, migration: evil", "spec.migration", "is the controller's to set, and is 'db-move'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("datasetWrites")
  void datasetsKeepThePrimaryAndTheLock(String spec, String field, String expected) {
    if (field.isEmpty()) {
      Dataset admitted = UserWrites.dataset(userDataset(spec + ", reclaimPolicy: Delete"), Optional.of(STORED));
      assertThat(admitted.spec()).isEqualTo(new DatasetSpec(Quantity.parse(expected), "node1", "db-move", ReclaimPolicy.Delete));
    } else {
      FieldError error = refusal(() -> UserWrites.dataset(userDataset(spec), Optional.of(STORED)));
      assertThat(error.field()).isEqualTo(field);
      assertThat(error.message()).startsWith(expected);
    }
  }

  @Test
  void usersDoNotCreateDatasets() {
    FieldError error = refusal(() -> UserWrites.dataset(userDataset("size: 1Gi"), Optional.empty()));

    assertThat(error.field()).isEqualTo("metadata.name");
    assertThat(error.message()).contains("only the controller creates Datasets");
  }

  static Stream<Arguments> newMigrations() {
    Optional<StatefulApp> app = Optional.of(APP);
    Optional<Dataset> placed = Optional.of(STORED);
    Optional<Dataset> unplaced = Optional.of(STORED.withSpec(new DatasetSpec(Quantity.parse("1Gi"), "", "", null)));
    StatefulApp deleting = APP.withMetadata(APP.metadata().withDeletionTimestamp(Instant.EPOCH));
    return Stream.of(
        Arguments.of("statefulApp: db, to: node2", app, placed, "", "db-data from node1"),
        Arguments.of("statefulApp: db, dataset: db-data, from: node1, to: node2", app, placed, "", "db-data from node1"),
        Arguments.of("statefulApp: db, to: node2", Optional.empty(), placed, "spec.statefulApp", "there is no StatefulApp \"db\""),
        Arguments.of("statefulApp: db, to: node2", Optional.of(deleting), placed, "spec.statefulApp", "is being deleted"),
        Arguments.of("statefulApp: db, to: node2", Optional.of(NO_DATA), placed, "spec.statefulApp", "has no spec.dataset"),
        Arguments.of("statefulApp: db, to: node2", app, Optional.empty(), "spec.statefulApp", "is not placed on a node yet"),
        Arguments.of("statefulApp: db, to: node2", app, unplaced, "spec.statefulApp", "is not placed on a node yet"),
        Arguments.of("statefulApp: db, dataset: web-data, to: node2", app, placed, "spec.dataset", "is 'web-data' but"),
        Arguments.of("statefulApp: db, from: node3, to: node2", app, placed, "spec.from", "is 'node3' but"),
        Arguments.of("statefulApp: db, to: node1", app, placed, "spec.to", "is on 'node1' already"));
  }

  @ParameterizedTest(name = "{0} -> {3} {4}")
  @MethodSource("newMigrations")
  void aNewMigrationMovesTheAppsRealDataset(String spec, Optional<StatefulApp> app, Optional<Dataset> dataset,
      String field, String expected) {
    if (field.isEmpty()) {
      Migration admitted = UserWrites.newMigration(migration(spec), app, dataset);
      assertThat(admitted.spec().dataset() + " from " + admitted.spec().from()).isEqualTo(expected);
    } else {
      FieldError error = refusal(() -> UserWrites.newMigration(migration(spec), app, dataset));
      assertThat(error.field()).isEqualTo(field);
      assertThat(error.message()).contains(expected);
    }
  }

  static Stream<Arguments> changedMigrations() {
    return Stream.of(
        Arguments.of("statefulApp: db, to: node2", ""),
        Arguments.of("statefulApp: db, dataset: db-data, from: node1, to: node2, strategy: PreCopy", ""),
        Arguments.of("statefulApp: web, to: node2", "spec.statefulApp"),
        Arguments.of("statefulApp: db, dataset: web-data, to: node2", "spec.dataset"),
        Arguments.of("statefulApp: db, from: node3, to: node2", "spec.from"),
        Arguments.of("statefulApp: db, to: node3", "spec.to"),
        Arguments.of("statefulApp: db, to: node2, strategy: StopAndCopy", "spec.strategy"),
        Arguments.of("statefulApp: db, to: node2, maxFinalDelta: 1Gi", "spec.maxFinalDelta"),
        Arguments.of("statefulApp: db, to: node2, maxRounds: 3", "spec.maxRounds"),
        Arguments.of("statefulApp: db, to: node2, deadlineSeconds: 60", "spec.deadlineSeconds"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("changedMigrations")
  void aMigrationsSpecNeverChanges(String spec, String field) {
    Migration stored = migration("statefulApp: db, dataset: db-data, from: node1, to: node2");
    Migration desired = migration(spec);
    desired = desired.withMetadata(desired.metadata().withLabels(Map.of("team", "x")));
    if (field.isEmpty()) {
      Migration admitted = UserWrites.changedMigration(desired, stored);
      assertThat(admitted.spec()).isEqualTo(stored.spec());
      assertThat(admitted.metadata().labels()).containsEntry("team", "x");
    } else {
      Migration changed = desired;
      FieldError error = refusal(() -> UserWrites.changedMigration(changed, stored));
      assertThat(error.field()).isEqualTo(field);
      assertThat(error.message()).startsWith("cannot be changed once the Migration exists");
    }
  }

  static Stream<Arguments> claims() {
    return Stream.of(
        Arguments.of(new Claim("db", "db-data", "/db"), "", ""),
        Arguments.of(new Claim("db2", "db-data", "/db2"), "spec.dataset.name",
            "'db-data' is already the dataset of StatefulApp \"db\""),
        Arguments.of(new Claim("db2", "", "/db"), "spec.app.id",
            "the Marathon app /db (without spec.app.id, the id is /db2) is already StatefulApp \"db\"'s"),
        Arguments.of(new Claim("db2", "other-data", "/web"), "", ""));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("claims")
  void aDatasetAndAnAppIdBelongToOneApp(Claim wanted, String field, String expected) {
    List<Claim> held = List.of(new Claim("db", "db-data", "/db"), new Claim("web", "", "/web-app"));
    StatefulApp desired = NO_DATA.withMetadata(ObjectMeta.named(wanted.statefulApp()));
    if (field.isEmpty()) {
      UserWrites.claims(desired, wanted, held);
    } else {
      FieldError error = refusal(() -> UserWrites.claims(desired, wanted, held));
      assertThat(error.field()).isEqualTo(field);
      assertThat(error.message()).startsWith(expected);
    }
  }
}
