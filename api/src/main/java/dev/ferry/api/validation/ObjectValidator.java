package dev.ferry.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a JSON tree is a valid Ferry object and turns it into one. Checks, in order:
 * the kind, what users may not write (status, fields Ferry owns), the kind's schema in
 * {@code crds/}, then the rules a schema cannot express ({@link SemanticChecks}). Every problem
 * found is reported, each once, at the most specific path.
 */
public final class ObjectValidator {

  /** Whether the tree comes from a user (who may not write status) or from Ferry itself. */
  public enum Source {
    USER,
    FERRY
  }

  private static final ObjectValidator INSTANCE = new ObjectValidator(SchemaCheck.load());

  private final SchemaCheck schemas;

  private ObjectValidator(SchemaCheck schemas) {
    this.schemas = schemas;
  }

  /** The validator, with the schemas loaded once per process. */
  public static ObjectValidator get() {
    return INSTANCE;
  }

  /** Every problem with {@code tree}; empty when it is a valid object. */
  public List<FieldError> check(JsonNode tree, Source source) {
    if (!tree.isObject()) {
      return List.of(new FieldError("", "must be a mapping with apiVersion, kind, metadata and spec"));
    }
    JsonNode kindNode = tree.path("kind");
    var kind = kindNode.isTextual() ? Kind.find(kindNode.asText()) : java.util.Optional.<Kind<?, ?, ?>>empty();
    if (kind.isEmpty() || !kind.get().name().equals(kindNode.asText())) {
      String found = kindNode.isMissingNode() ? "is required" : "'" + kindNode.asText() + "' is not a Ferry kind";
      return List.of(new FieldError("kind", found + ": must be one of " + Kind.names()));
    }
    Map<String, FieldError> errors = new LinkedHashMap<>();
    if (source == Source.USER && tree.has("status")) {
      add(errors, new FieldError("status", "is written by Ferry only: remove it from the manifest"));
    }
    SemanticChecks.ownedFields(kind.get(), tree).forEach(e -> add(errors, e));
    schemas.check(kind.get(), tree).forEach(e -> add(errors, e));
    SemanticChecks.check(kind.get(), tree).forEach(e -> add(errors, e));
    List<FieldError> sorted = new ArrayList<>(errors.values());
    sorted.sort(Comparator.comparing(FieldError::field));
    return sorted;
  }

  /**
   * Validates {@code tree} and converts it to its kind's type.
   *
   * @throws ValidationException listing every problem, naming the object where it has a name
   */
  public FerryObject<?, ?, ?> toObject(JsonNode tree, Source source) {
    List<FieldError> errors = check(tree, source);
    if (!errors.isEmpty()) {
      throw new ValidationException(subject(tree), errors);
    }
    Kind<?, ?, ?> kind = Kind.find(tree.get("kind").asText()).orElseThrow();
    try {
      return Json.json().treeToValue(tree, kind.type());
    } catch (JsonMappingException e) {
      throw new ValidationException(subject(tree), List.of(new FieldError(path(e), conversionMessage(e))));
    } catch (JsonProcessingException e) {
      throw new ValidationException(subject(tree), List.of(new FieldError("", e.getOriginalMessage())));
    }
  }

  /** Names an object in messages: {@code StatefulApp "todos-db"}. */
  public static String subject(JsonNode tree) {
    String kind = tree.path("kind").asText("object");
    String name = tree.path("metadata").path("name").asText("");
    return name.isEmpty() ? kind : kind + " \"" + name + "\"";
  }

  /** Keeps the first error at a path, and none below a path that already has one. */
  private static void add(Map<String, FieldError> errors, FieldError e) {
    for (String at : errors.keySet()) {
      if (e.field().equals(at) || e.field().startsWith(at + ".") || e.field().startsWith(at + "[")) {
        return;
      }
    }
    errors.put(e.field(), e);
  }

  private static String path(JsonMappingException e) {
    FieldPath p = FieldPath.root();
    for (JsonMappingException.Reference r : e.getPath()) {
      p = r.getFieldName() != null ? p.child(r.getFieldName()) : p.index(r.getIndex());
    }
    return p.toString();
  }

  private static String conversionMessage(JsonMappingException e) {
    Throwable cause = e.getCause();
    if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
      return cause.getMessage();
    }
    return e instanceof MismatchedInputException ? "has the wrong type" : e.getOriginalMessage();
  }
}
