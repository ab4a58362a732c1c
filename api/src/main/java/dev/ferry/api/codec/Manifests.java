package dev.ferry.api.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ObjectValidator;
import dev.ferry.api.validation.ObjectValidator.Source;
import dev.ferry.api.validation.ValidationException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads and writes Ferry objects as manifests: YAML (several documents per file) or JSON.
 * Reading validates everything (see {@link ObjectValidator}) before anything is returned, so a
 * file with one bad document yields no objects at all.
 */
public final class Manifests {

  private static final ManifestReader READER = objectReader();

  /**
   * A reader of Ferry objects: a document with a duplicate key is refused with the key and,
   * alongside, everything else wrong with the object, as validation would report it.
   */
  public static ManifestReader objectReader() {
    return new ManifestReader(YamlLimits.DEFAULT, tree -> ObjectValidator.get().check(tree, Source.USER));
  }

  private Manifests() {}

  /**
   * Reads every object in a user's manifest file.
   *
   * @throws ValidationException for the first invalid document, naming it and every problem in it
   */
  public static List<FerryObject<?, ?, ?>> read(String text) {
    return read(text, Source.USER);
  }

  /** Reads objects written by Ferry itself (status allowed), e.g. from etcd or the API. */
  public static List<FerryObject<?, ?, ?>> readStored(String text) {
    return read(text, Source.FERRY);
  }

  private static List<FerryObject<?, ?, ?>> read(String text, Source source) {
    List<JsonNode> trees = READER.read(text);
    List<FerryObject<?, ?, ?>> objects = new ArrayList<>();
    for (int i = 0; i < trees.size(); i++) {
      try {
        objects.add(ObjectValidator.get().toObject(trees.get(i), source));
      } catch (ValidationException e) {
        throw trees.size() == 1 ? e
            : new ValidationException("document " + (i + 1) + " (" + e.subject() + ")", e.errors());
      }
    }
    return objects;
  }

  /** Reads one object of a known kind. */
  public static <O extends FerryObject<O, S, T>, S, T> O readOne(String text, Kind<O, S, T> kind) {
    JsonNode tree = READER.readOne(text);
    FerryObject<?, ?, ?> object = ObjectValidator.get().toObject(tree, Source.USER);
    if (!kind.type().isInstance(object)) {
      throw ValidationException.of(ObjectValidator.subject(tree),
          new FieldError("kind", "must be " + kind.name() + ", not " + object.kind()));
    }
    return kind.cast(object);
  }

  /** One object as YAML, fields in the usual order, empty fields left out. */
  public static String toYaml(FerryObject<?, ?, ?> object) {
    return write(() -> Json.yaml().writeValueAsString(object));
  }

  /** Several objects as one YAML file of documents separated by {@code ---}. */
  public static String toYaml(List<? extends FerryObject<?, ?, ?>> objects) {
    return objects.stream().map(Manifests::toYaml).collect(Collectors.joining("---\n"));
  }

  public static String toJson(FerryObject<?, ?, ?> object) {
    return write(() -> Json.json().writeValueAsString(object));
  }


  private interface Writing {
    String run() throws JsonProcessingException;
  }

  private static String write(Writing writing) {
    try {
      return writing.run();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
