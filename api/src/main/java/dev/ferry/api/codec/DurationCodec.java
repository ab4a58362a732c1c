package dev.ferry.api.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import dev.ferry.api.model.Durations;
import java.io.IOException;
import java.time.Duration;

/** Reads and writes {@link Duration}s in the {@code 30s}/{@code 5m} form of {@link Durations}. */
final class DurationCodec {

  private DurationCodec() {}

  static final class Writer extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeString(Durations.format(value));
    }
  }

  static final class Reader extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      try {
        return Durations.parse(p.getValueAsString());
      } catch (IllegalArgumentException e) {
        return (Duration) ctxt.handleWeirdStringValue(Duration.class, p.getText(), e.getMessage());
      }
    }
  }
}
