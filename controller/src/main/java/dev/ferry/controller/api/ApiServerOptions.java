package dev.ferry.controller.api;

import java.time.Duration;

/**
 * Where and how the API server listens.
 *
 * @param host the address to bind, 127.0.0.1 by default
 * @param port the port, 7070 by default; 0 picks a free one ({@link ApiServer#port()} tells which)
 * @param heartbeat how often the watch sends a HEARTBEAT frame
 * @param watchQueueBytes unsent bytes a watch client may have before it is cut off
 * @param version what {@code /version} answers
 */
public record ApiServerOptions(String host, int port, Duration heartbeat, int watchQueueBytes, String version) {

  public static final int BODY_LIMIT = 1024 * 1024;
  public static final int MAX_PENDING_FRAMES = 10_000;

  public static ApiServerOptions defaults() {
    return new ApiServerOptions("127.0.0.1", 7070, Duration.ofSeconds(10), 1024 * 1024, ApiServer.version());
  }

  public ApiServerOptions withListen(String newHost, int newPort) {
    return new ApiServerOptions(newHost, newPort, heartbeat, watchQueueBytes, version);
  }

  public ApiServerOptions withHeartbeat(Duration every) {
    return new ApiServerOptions(host, port, every, watchQueueBytes, version);
  }

  public ApiServerOptions withWatchQueueBytes(int bytes) {
    return new ApiServerOptions(host, port, heartbeat, bytes, version);
  }
}
