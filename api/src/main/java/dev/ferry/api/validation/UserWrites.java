package dev.ferry.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetRef;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.StatefulApp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a user's write may do to the state the controller owns (docs/security.md, "Who may write
 * what"). Users state intent, a StatefulApp or a request to move one; the controller decides
 * where data lives and who holds it. These rules bind users only, whatever their role: the
 * controller writes to the store directly, not through admission.
 *
 * <ul>
 *   <li>Datasets: only the controller creates them. A user may change {@code size} and
 *       {@code reclaimPolicy}; {@code primary} and {@code migration} are the controller's, and a
 *       manifest may leave them out (the stored values stay) or state the stored value.
 *   <li>Migrations: created for an existing StatefulApp with a dataset; {@code dataset} and
 *       {@code from} must be that app's dataset and its primary node, and are filled in when
 *       left out. The spec never changes after creation.
 *   <li>StatefulApps: a dataset name and a Marathon app id belong to one StatefulApp.
 * </ul>
 *
 * <p>Pure: the caller reads what is stored and passes it in. Each method returns the object to
 * store or throws {@link ValidationException} naming the field and, where another object holds
 * what was asked for, that object.
 */
public final class UserWrites {

  private static final FieldPath SPEC = FieldPath.of("spec");

  private UserWrites() {}

  /**
   * What one StatefulApp holds: its dataset's name (empty without one) and its Marathon app id.
   */
  public record Claim(String statefulApp, String dataset, String appId) {}

  /** The Dataset to store for a user's {@code desired}, given what is {@code stored}. */
  public static Dataset dataset(Dataset desired, Optional<Dataset> stored) {
    if (stored.isEmpty()) {
      throw refused(desired, new FieldError("metadata.name", "there is no Dataset \"" + desired.name()
          + "\", and only the controller creates Datasets: write a StatefulApp with spec.dataset.name: "
          + desired.name() + " instead"));
    }
    DatasetSpec want = desired.spec();
    DatasetSpec have = stored.get().spec();
    List<FieldError> errors = new ArrayList<>();
    owned(want.primary(), have.primary(), "primary", "ferryctl migrate moves the data", errors);
    owned(want.migration(), have.migration(), "migration", "it is the lock a running Migration holds", errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(subject(desired), errors);
    }
    return desired.withSpec(new DatasetSpec(want.size(), have.primary(), have.migration(), want.reclaimPolicy()));
  }

  /**
   * The Migration to create for a user's {@code desired}: checked against the app it names and
   * that app's Dataset (both empty when they do not exist), with {@code dataset} and
   * {@code from} filled in when left out.
   */
  public static Migration newMigration(Migration desired, Optional<StatefulApp> app, Optional<Dataset> dataset) {
    MigrationSpec spec = desired.spec();
    FieldPath appField = SPEC.child("statefulApp");
    StatefulApp owner = app.orElseThrow(() -> refused(desired, FieldError.at(appField,
        "there is no StatefulApp \"" + spec.statefulApp() + "\": a Migration moves an existing app's dataset")));
    if (owner.metadata().deletion().isPresent()) {
      throw refused(desired, FieldError.at(appField, "StatefulApp \"" + owner.name() + "\" is being deleted"));
    }
    DatasetRef ref = owner.spec().datasetRef().orElseThrow(() -> refused(desired, FieldError.at(appField,
        "StatefulApp \"" + owner.name() + "\" has no spec.dataset: there is no data to move")));
    if (!spec.dataset().isEmpty() && !spec.dataset().equals(ref.name())) {
      throw refused(desired, FieldError.at(SPEC.child("dataset"), "is '" + spec.dataset() + "' but StatefulApp \""
          + owner.name() + "\"'s dataset is '" + ref.name() + "': leave it out and the server fills it in"));
    }
    String primary = dataset.filter(d -> d.name().equals(ref.name())).map(d -> d.spec().primary()).orElse("");
    if (primary.isEmpty()) {
      throw refused(desired, FieldError.at(appField, "StatefulApp \"" + owner.name() + "\"'s dataset '" + ref.name()
          + "' is not placed on a node yet: there is nothing to move"));
    }
    if (!spec.from().isEmpty() && !spec.from().equals(primary)) {
      throw refused(desired, FieldError.at(SPEC.child("from"), "is '" + spec.from() + "' but Dataset \"" + ref.name()
          + "\"'s primary copy is on '" + primary + "': leave it out and the server fills it in"));
    }
    if (spec.to().equals(primary)) {
      throw refused(desired, FieldError.at(SPEC.child("to"), "Dataset \"" + ref.name() + "\" is on '" + primary
          + "' already: a migration moves data to another node"));
    }
    return desired.withSpec(new MigrationSpec(spec.statefulApp(), ref.name(), primary, spec.to(), spec.strategy(),
        spec.maxFinalDelta(), spec.maxRounds(), spec.deadlineSeconds()));
  }

  /**
   * The Migration to store when a user applies {@code desired} over the {@code stored} one: its
   * labels and annotations may change, its spec may not ({@code dataset} and {@code from} left
   * out mean the stored ones, as on creation).
   */
  public static Migration changedMigration(Migration desired, Migration stored) {
    MigrationSpec want = desired.spec();
    MigrationSpec have = stored.spec();
    MigrationSpec filled = new MigrationSpec(want.statefulApp(), want.dataset().isEmpty() ? have.dataset() : want.dataset(),
        want.from().isEmpty() ? have.from() : want.from(), want.to(), want.strategy(), want.maxFinalDelta(),
        want.maxRounds(), want.deadlineSeconds());
    JsonNode wanted = Json.json().valueToTree(filled);
    JsonNode held = Json.json().valueToTree(have);
    for (Iterator<Map.Entry<String, JsonNode>> it = held.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getValue().equals(wanted.path(field.getKey()))) {
        throw refused(desired, FieldError.at(SPEC.child(field.getKey()), "cannot be changed once the Migration exists"
            + " (it is " + field.getValue() + "): delete this Migration, or create another one to move again"));
      }
    }
    return desired.withSpec(have);
  }

  /**
   * Refuses {@code wanted} if another StatefulApp already holds its dataset or its Marathon app
   * id; {@code held} may include {@code wanted}'s own app, which is skipped.
   */
  public static void claims(StatefulApp desired, Claim wanted, List<Claim> held) {
    List<FieldError> errors = new ArrayList<>();
    for (Claim other : held) {
      if (other.statefulApp().equals(wanted.statefulApp())) {
        continue;
      }
      if (!wanted.dataset().isEmpty() && wanted.dataset().equals(other.dataset())) {
        errors.add(FieldError.at(SPEC.child("dataset").child("name"), "'" + wanted.dataset()
            + "' is already the dataset of StatefulApp \"" + other.statefulApp() + "\": a dataset belongs to one StatefulApp"));
      }
      if (wanted.appId().equals(other.appId())) {
        String how = desired.spec().app().path("id").asText("").isEmpty()
            ? " (without spec.app.id, the id is /" + desired.name() + ")" : "";
        errors.add(FieldError.at(SPEC.child("app").child("id"), "the Marathon app " + wanted.appId() + how
            + " is already StatefulApp \"" + other.statefulApp() + "\"'s: a Marathon app belongs to one StatefulApp"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(subject(desired), errors);
    }
  }

  private static void owned(String want, String have, String field, String why, List<FieldError> errors) {
    if (!want.isEmpty() && !want.equals(have)) {
      String now = have.isEmpty() ? "empty" : "'" + have + "'";
      errors.add(FieldError.at(SPEC.child(field), "is the controller's to set, and is " + now + " (" + why
          + "): leave it out of the manifest"));
    }
  }

  private static ValidationException refused(FerryObject<?, ?, ?> object, FieldError error) {
    return ValidationException.of(subject(object), error);
  }

  private static String subject(FerryObject<?, ?, ?> object) {
    return object.kind() + " \"" + object.name() + "\"";
  }
}
