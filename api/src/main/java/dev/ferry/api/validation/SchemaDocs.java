package dev.ferry.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kinds' schemas in {@code crds/} read as documentation: each field's type, description and
 * sub-fields, with {@code $ref}s followed (within a file and to {@code common.yaml}). It reads
 * the same classpath resources that {@link SchemaCheck} validates with
 * ({@link Kind#schemaResource()}), so what {@code ferryctl explain} shows is what the API server
 * enforces.
 */
public final class SchemaDocs {

  private static final SchemaDocs INSTANCE = new SchemaDocs();
  private static final String CLASSPATH = "classpath:";
  private static final String FOLDER = "crds/";

  private final Map<String, JsonNode> documents = new ConcurrentHashMap<>();

  private SchemaDocs() {}

  public static SchemaDocs get() {
    return INSTANCE;
  }

  /**
   * One field of a schema.
   *
   * @param name the field's name (the kind's name for the object itself)
   * @param schema its schema, {@code $ref}s resolved at this level
   * @param file the schema document it is written in, against which its own refs resolve
   * @param required whether its parent requires it
   */
  public record Field(String name, JsonNode schema, String file, boolean required) {

    /** The type as kubectl explain writes it: {@code string}, {@code integer}, {@code Object}, {@code []string}. */
    public String type() {
      return INSTANCE.typeOf(schema, file);
    }

    /** The schema's description, or empty. */
    public String description() {
      return schema.path("description").asText("").strip();
    }

    /** The fields of an object, or of the objects in a list, in the schema's order. */
    public List<Field> fields() {
      Field object = schema.path("type").asText().equals("array") ? INSTANCE.resolve("items", schema.path("items"), file, false) : this;
      List<String> required = new ArrayList<>();
      object.schema().path("required").forEach(r -> required.add(r.asText()));
      List<Field> fields = new ArrayList<>();
      object.schema().path("properties").properties().forEach(e ->
          fields.add(INSTANCE.resolve(e.getKey(), e.getValue(), object.file(), required.contains(e.getKey()))));
      return fields;
    }

    /** The sub-field called {@code name}, if there is one. */
    public Optional<Field> field(String name) {
      return fields().stream().filter(f -> f.name().equals(name)).findFirst();
    }
  }

  /** The schema of a kind's whole object. */
  public Field root(Kind<?, ?, ?> kind) {
    return new Field(kind.name(), document(kind.schemaResource()), kind.schemaResource(), true);
  }

  /** The field at {@code path} below a kind's object (e.g. {@code [spec, dataset, size]}), if the schema has it. */
  public Optional<Field> field(Kind<?, ?, ?> kind, List<String> path) {
    Optional<Field> at = Optional.of(root(kind));
    for (String name : path) {
      at = at.flatMap(f -> f.field(name));
    }
    return at;
  }

  /**
   * The names a mapping may hold at a schema location as the validator reports it
   * ({@code classpath:crds/statefulapp.yaml#/properties/spec}); empty when it is not known.
   */
  List<String> propertyNames(String schemaLocation) {
    int hash = schemaLocation.indexOf('#');
    if (!schemaLocation.startsWith(CLASSPATH) || hash < 0) {
      return List.of();
    }
    String file = schemaLocation.substring(CLASSPATH.length(), hash);
    JsonNode node = document(file).at(schemaLocation.substring(hash + 1));
    List<String> names = new ArrayList<>();
    resolve("", node, file, false).schema().path("properties").fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** A field whose schema is {@code node}, following a {@code $ref}; the referring node's own keywords (a description) win. */
  private Field resolve(String name, JsonNode node, String file, boolean required) {
    JsonNode ref = node.path("$ref");
    if (!ref.isTextual()) {
      return new Field(name, node, file, required);
    }
    String text = ref.asText();
    int hash = text.indexOf('#');
    String targetFile = hash == 0 ? file : FOLDER + (hash < 0 ? text : text.substring(0, hash));
    Field target = resolve(name, document(targetFile).at(hash < 0 ? "" : text.substring(hash + 1)), targetFile, required);
    ObjectNode merged = target.schema().isObject() ? target.schema().deepCopy() : Json.json().createObjectNode();
    node.properties().forEach(e -> {
      if (!e.getKey().equals("$ref")) {
        merged.set(e.getKey(), e.getValue());
      }
    });
    return new Field(name, merged, target.file(), required);
  }

  private String typeOf(JsonNode schema, String file) {
    JsonNode type = schema.path("type");
    if (type.isArray()) {
      List<String> types = new ArrayList<>();
      type.forEach(t -> types.add(t.asText()));
      return String.join(" or ", types);
    }
    if (schema.has("oneOf")) {
      List<String> types = new ArrayList<>();
      schema.path("oneOf").forEach(s -> types.add(resolve("", s, file, false).type()));
      return String.join(" or ", types.stream().distinct().toList());
    }
    return switch (type.asText(schema.has("const") || schema.has("enum") ? "string" : "object")) {
      case "object" -> schema.has("properties") || !schema.path("additionalProperties").isObject() ? "Object"
          : "map[string]" + resolve("", schema.path("additionalProperties"), file, false).type();
      case "array" -> "[]" + resolve("", schema.path("items"), file, false).type();
      default -> type.asText("string");
    };
  }

  private JsonNode document(String resource) {
    return documents.computeIfAbsent(resource, r -> {
      try (InputStream in = SchemaDocs.class.getClassLoader().getResourceAsStream(r)) {
        if (in == null) {
          throw new IllegalStateException("the schema " + r + " is not on the classpath");
        }
        return Json.yaml().readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the schema " + r, e);
      }
    });
  }
}
