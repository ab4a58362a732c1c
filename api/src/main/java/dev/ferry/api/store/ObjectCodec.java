package dev.ferry.api.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.FerryObject;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Objects to etcd values and back. */
final class ObjectCodec {

  private ObjectCodec() {}

  /**
   * The value to store. The resourceVersion is not stored: etcd's mod revision is the truth,
   * and a stored copy would always be one write behind.
   */
  static ByteSequence encode(FerryObject<?, ?, ?> object) {
    FerryObject<?, ?, ?> bare = object.withMetadata(object.metadata().withResourceVersion(0));
    try {
      return ByteSequence.from(Json.json().writeValueAsBytes(bare));
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot encode " + object.kind() + " " + object.name(), e);
    }
  }

  /** The stored object, with its resourceVersion set to the value's mod revision. */
  static <O extends FerryObject<O, ?, ?>> O decode(Class<O> type, KeyValue kv) {
    return decode(type, kv.getKey(), kv.getValue(), kv.getModRevision());
  }

  /** The object stored at {@code key} as {@code value} at {@code modRevision}. */
  static <O extends FerryObject<O, ?, ?>> O decode(Class<O> type, ByteSequence key, ByteSequence value, long modRevision) {
    try {
      O object = Json.json().readValue(value.getBytes(), type);
      return object.withMetadata(object.metadata().withResourceVersion(modRevision));
    } catch (IOException e) {
      throw new StoreException("cannot decode " + type.getSimpleName() + " at "
          + key.toString(StandardCharsets.UTF_8) + ": " + e.getMessage(), e);
    }
  }

  /** Whether two specs say the same as JSON ({@link Json#sameJson}). */
  static boolean sameSpec(FerryObject<?, ?, ?> a, FerryObject<?, ?, ?> b) {
    return Json.sameJson(a.spec(), b.spec());
  }
}
