package dev.ferry.devcluster.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** One event of Marathon's bus: its type and its JSON payload (with {@code eventType} and {@code timestamp}). */
public record MarathonEvent(String type, ObjectNode payload) {

  /** An event of {@code type} with the given fields, stamped now. */
  public static MarathonEvent of(String type, ObjectNode fields) {
    ObjectNode payload = fields.deepCopy();
    payload.put("eventType", type);
    payload.put("timestamp", Instant.now().toString());
    return new MarathonEvent(type, payload);
  }
}
