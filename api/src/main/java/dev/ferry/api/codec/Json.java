package dev.ferry.api.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The one place Ferry's Jackson mappers are configured: JSON for etcd values and the API,
 * YAML for manifests. Durations are written as {@code 30s}, timestamps as RFC 3339.
 */
public final class Json {

  private static final JsonMapper JSON = configure(JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION))
      .build();

  private static final YAMLMapper YAML = configure(YAMLMapper.builder()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
      .build();

  private Json() {}

  /** The JSON mapper: strict about duplicate keys, lenient about nothing. */
  public static ObjectMapper json() {
    return JSON;
  }

  /**
   * Whether two values say the same as JSON: each is compared as it would be read back, so a
   * manifest's {@code 1} (a long in memory) equals a stored {@code 1} (an int once read), and
   * field order does not matter.
   */
  public static boolean sameJson(Object a, Object b) {
    return readBack(a).equals(readBack(b));
  }

  private static JsonNode readBack(Object value) {
    try {
      return JSON.readTree(JSON.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compare " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** The YAML mapper, for writing; manifests are read through {@link ManifestReader}. */
  public static ObjectMapper yaml() {
    return YAML;
  }

  private static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>> B configure(B builder) {
    SimpleModule durations = new SimpleModule("ferry-durations");
    durations.addSerializer(Duration.class, new DurationCodec.Writer());
    durations.addDeserializer(Duration.class, new DurationCodec.Reader());
    return builder
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .addModule(durations)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
  }
}
