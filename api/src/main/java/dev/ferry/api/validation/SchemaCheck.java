package dev.ferry.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.ferry.api.model.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks an object against its kind's schema in {@code crds/} (JSON Schema 2020-12 written as
 * YAML, on the classpath) and turns the validator's findings into {@link FieldError}s with
 * paths users can read.
 */
final class SchemaCheck {

  private final Map<String, JsonSchema> schemas;

  private SchemaCheck(Map<String, JsonSchema> schemas) {
    this.schemas = schemas;
  }

  static SchemaCheck load() {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
        .pathType(PathType.JSON_PATH)
        .formatAssertionsEnabled(true)
        .build();
    Map<String, JsonSchema> schemas = Kind.ALL.stream().collect(Collectors.toMap(Kind::name,
        k -> {
          JsonSchema schema = factory.getSchema(SchemaLocation.of("classpath:" + k.schemaResource()), config);
          schema.initializeValidators();
          return schema;
        }));
    return new SchemaCheck(schemas);
  }

  List<FieldError> check(Kind<?, ?, ?> kind, JsonNode tree) {
    List<FieldError> errors = new ArrayList<>();
    for (ValidationMessage m : schemas.get(kind.name()).validate(tree)) {
      errors.add(toFieldError(m));
    }
    return errors;
  }

  private static FieldError toFieldError(ValidationMessage m) {
    String at = readable(m.getInstanceLocation().toString());
    Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
    Function<String, String> child = name -> FieldPath.raw(at).child(name).toString();
    return switch (m.getType()) {
      case "additionalProperties" -> new FieldError(child.apply(m.getProperty()), "unknown field" + suggestion(m));
      case "required" -> new FieldError(child.apply(m.getProperty()), "is required");
      case "type" -> new FieldError(at, "must be " + article(String.valueOf(args.length > 1 ? args[1] : "")) + ", not "
          + article(String.valueOf(args.length > 0 ? args[0] : "")));
      case "const" -> new FieldError(at, "must be " + (args.length > 0 ? args[0] : ""));
      case "enum" -> new FieldError(at, "must be one of " + enumValues(args));
      default -> new FieldError(at, stripLocation(m.getMessage()));
    };
  }

  /** {@code : did you mean 'mountPath'?} when a known field of that mapping is close, else nothing. */
  private static String suggestion(ValidationMessage m) {
    String keyword = m.getSchemaLocation().toString();
    String mapping = keyword.endsWith("/additionalProperties")
        ? keyword.substring(0, keyword.length() - "/additionalProperties".length()) : keyword;
    return FieldSuggestion.closest(m.getProperty(), SchemaDocs.get().propertyNames(mapping))
        .map(s -> ": did you mean '" + s + "'?").orElse("");
  }

  private static String readable(String jsonPath) {
    String p = jsonPath.startsWith("$") ? jsonPath.substring(1) : jsonPath;
    return p.startsWith(".") ? p.substring(1) : p;
  }

  private static String stripLocation(String message) {
    int colon = message.indexOf(": ");
    return colon >= 0 && message.startsWith("$") ? message.substring(colon + 2) : message;
  }

  private static String enumValues(Object[] args) {
    if (args.length == 0) {
      return "the allowed values";
    }
    String listed = String.valueOf(args[0]).replaceAll("^\\[|\\]$", "");
    return Arrays.stream(listed.split(",")).map(s -> s.trim().replace("\"", "")).collect(Collectors.joining(", "));
  }

  private static String article(String types) {
    String t = types.replaceAll("^\\[|\\]$", "").replace("\"", "");
    return switch (t) {
      case "object" -> "a mapping";
      case "array" -> "a list";
      case "integer" -> "an integer";
      case "null" -> "null";
      default -> t.contains(",") ? "one of " + t : "a " + t;
    };
  }
}
