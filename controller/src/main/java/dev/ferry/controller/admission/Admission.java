package dev.ferry.controller.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.ManifestReader;
import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.GitSource;
import dev.ferry.api.model.GitUrls;
import dev.ferry.api.model.Kind;
import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ObjectValidator;
import dev.ferry.api.validation.ObjectValidator.Source;
import dev.ferry.api.validation.ValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what a user sent (an API body, a file in a GitOps repository) into objects, with the
 * same reader limits and validation that {@code ferryctl --dry-run=client} uses. Pure: no I/O.
 */
public final class Admission {

  private final ManifestReader reader = Manifests.objectReader();
  private final boolean allowFileGitUrls;

  /** @param allowFileGitUrls whether a GitSource may name a {@code file://} repository */
  public Admission(boolean allowFileGitUrls) {
    this.allowFileGitUrls = allowFileGitUrls;
  }

  /**
   * Reads the one object of an API request for {@code kind}/{@code name}.
   *
   * @throws AdmissionException MALFORMED for unreadable input, INVALID for a manifest that
   *     breaks the rules or names another kind or object than the URL
   */
  public FerryObject<?, ?, ?> readOne(String body, Kind<?, ?, ?> kind, String name) {
    JsonNode tree;
    try {
      tree = reader.readOne(body);
    } catch (ValidationException e) {
      throw AdmissionException.of(AdmissionException.Problem.MALFORMED, e);
    }
    FerryObject<?, ?, ?> object = validate(tree);
    if (!object.kind().equals(kind.name())) {
      throw AdmissionException.invalid(ObjectValidator.subject(tree),
          new FieldError("kind", "is " + object.kind() + " but the URL is for " + kind.plural()));
    }
    if (!object.name().equals(name)) {
      throw AdmissionException.invalid(ObjectValidator.subject(tree),
          new FieldError("metadata.name", "is '" + object.name() + "' but the URL names '" + name + "'"));
    }
    return object;
  }

  /**
   * Reads every object of a manifest file; one bad document refuses the whole file.
   *
   * @throws AdmissionException naming the document and its problems
   */
  public List<FerryObject<?, ?, ?>> readAll(String text) {
    List<JsonNode> trees;
    try {
      trees = reader.read(text);
    } catch (ValidationException e) {
      throw AdmissionException.of(AdmissionException.Problem.MALFORMED, e);
    }
    List<FerryObject<?, ?, ?>> objects = new ArrayList<>();
    for (int i = 0; i < trees.size(); i++) {
      try {
        objects.add(validate(trees.get(i)));
      } catch (AdmissionException e) {
        throw trees.size() == 1 ? e : new AdmissionException(e.problem(),
            "document " + (i + 1) + ": " + e.getMessage(), e.errors());
      }
    }
    return objects;
  }

  private FerryObject<?, ?, ?> validate(JsonNode tree) {
    FerryObject<?, ?, ?> object;
    try {
      object = ObjectValidator.get().toObject(tree, Source.USER);
    } catch (ValidationException e) {
      throw AdmissionException.of(AdmissionException.Problem.INVALID, e);
    }
    if (object instanceof GitSource git) {
      // Where this controller may read from is its configuration's to say, not the schema's.
      GitUrls.localProblem(git.spec().url(), allowFileGitUrls).ifPresent(problem -> {
        throw AdmissionException.invalid(ObjectValidator.subject(tree), new FieldError("spec.url", problem));
      });
    }
    return object;
  }
}
