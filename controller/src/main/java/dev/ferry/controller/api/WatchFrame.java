package dev.ferry.controller.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.store.WatchEvent;

/**
 * One text frame of the watch WebSocket. The object frames of one socket come in strictly
 * increasing {@code resourceVersion}, across all the kinds it watches, so the last one a client
 * saw is where a new watch resumes without missing anything.
 * <ul>
 *   <li>{@code {"type":"ADDED"|"MODIFIED"|"DELETED","resourceVersion":N,"object":{...}}};
 *   <li>{@code {"type":"SYNCED","kind":"StatefulApp","resourceVersion":N}}: the initial list of
 *       a kind is complete (only when the client gave no resourceVersion); every kind of one
 *       socket is listed at the same N;
 *   <li>{@code {"type":"HEARTBEAT"}} every heartbeat interval;
 *   <li>{@code {"type":"ERROR","code":410,"reason":"Gone","message":"..."}} just before the
 *       server closes the socket (410: list again and watch from the list's resourceVersion).
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
record WatchFrame(String type, String kind, long resourceVersion, FerryObject<?, ?, ?> object,
    int code, String reason, String message) {

  static final WatchFrame HEARTBEAT = new WatchFrame("HEARTBEAT", null, 0, null, 0, null, null);

  static WatchFrame of(WatchEvent<? extends FerryObject<?, ?, ?>> event) {
    return new WatchFrame(event.type().name(), null, event.revision(), event.object(), 0, null, null);
  }

  static WatchFrame synced(String kind, long revision) {
    return new WatchFrame("SYNCED", kind, revision, null, 0, null, null);
  }

  static WatchFrame error(ApiError error) {
    return new WatchFrame("ERROR", null, 0, null, error.code(), error.reason(), error.message());
  }
}
