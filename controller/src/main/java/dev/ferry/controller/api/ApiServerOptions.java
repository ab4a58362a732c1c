package dev.ferry.controller.api;

import dev.ferry.api.tls.TlsFiles;
import dev.ferry.controller.admission.ObjectQuotas;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how the API server listens, and what one client may take of it.
 *
 * @param host the address to bind, 127.0.0.1 by default
 * @param port the port, 7070 by default; 0 picks a free one ({@link ApiServer#port()} tells which)
 * @param heartbeat how often the watch sends a HEARTBEAT frame
 * @param watchQueueBytes unsent bytes a watch client may have before it is cut off
 * @param version what {@code /version} answers
 * @param allowFileGitUrls whether a GitSource may name a {@code file://} repository
 * @param idleTimeout a connection that sends and receives nothing for this long is closed (a
 *     client that stops half-way through its headers or body); longer than {@code heartbeat}, so
 *     an idle watch stays open
 * @param maxWatches open watch WebSockets in all
 * @param maxWatchesPerUser open watch WebSockets of one user (one token)
 * @param tls serve HTTPS with this certificate; empty for plain HTTP. Clients authenticate with
 *     tokens, not certificates, so none is asked for
 * @param maxListPage the most objects one list answer holds, with or without {@code ?limit=}; a
 *     client reads the rest with {@code ?continue=}
 * @param quotas how many objects of each kind users may create
 */
public record ApiServerOptions(String host, int port, Duration heartbeat, int watchQueueBytes, String version,
    boolean allowFileGitUrls, Duration idleTimeout, int maxWatches, int maxWatchesPerUser, Optional<TlsFiles> tls,
    int maxListPage, ObjectQuotas quotas) {

  public static final int BODY_LIMIT = 1024 * 1024;
  public static final int MAX_PENDING_FRAMES = 10_000;
  /** Kubernetes' clients ask for pages of 500 (kubectl's --chunk-size); the server serves as many. */
  public static final int DEFAULT_MAX_LIST_PAGE = 500;

  public ApiServerOptions {
    if (maxListPage < 1) {
      throw new IllegalArgumentException("maxListPage must be 1 or more, not " + maxListPage);
    }
  }

  public static ApiServerOptions defaults() {
    return new ApiServerOptions("127.0.0.1", 7070, Duration.ofSeconds(10), 1024 * 1024, ApiServer.version(),
        false, Duration.ofSeconds(60), 1000, 100, Optional.empty(), DEFAULT_MAX_LIST_PAGE, ObjectQuotas.DEFAULTS);
  }

  public ApiServerOptions withListen(String newHost, int newPort) {
    return new ApiServerOptions(newHost, newPort, heartbeat, watchQueueBytes, version, allowFileGitUrls, idleTimeout,
        maxWatches, maxWatchesPerUser, tls, maxListPage, quotas);
  }

  public ApiServerOptions withHeartbeat(Duration every) {
    return new ApiServerOptions(host, port, every, watchQueueBytes, version, allowFileGitUrls, idleTimeout,
        maxWatches, maxWatchesPerUser, tls, maxListPage, quotas);
  }

  public ApiServerOptions withWatchQueueBytes(int bytes) {
    return new ApiServerOptions(host, port, heartbeat, bytes, version, allowFileGitUrls, idleTimeout,
        maxWatches, maxWatchesPerUser, tls, maxListPage, quotas);
  }

  public ApiServerOptions withFileGitUrls(boolean allowed) {
    return new ApiServerOptions(host, port, heartbeat, watchQueueBytes, version, allowed, idleTimeout,
        maxWatches, maxWatchesPerUser, tls, maxListPage, quotas);
  }

  public ApiServerOptions withIdleTimeout(Duration timeout) {
    return new ApiServerOptions(host, port, heartbeat, watchQueueBytes, version, allowFileGitUrls, timeout,
        maxWatches, maxWatchesPerUser, tls, maxListPage, quotas);
  }

  public ApiServerOptions withMaxWatches(int total, int perUser) {
    return new ApiServerOptions(host, port, heartbeat, watchQueueBytes, version, allowFileGitUrls, idleTimeout,
        total, perUser, tls, maxListPage, quotas);
  }

  public ApiServerOptions withTls(Optional<TlsFiles> files) {
    return new ApiServerOptions(host, port, heartbeat, watchQueueBytes, version, allowFileGitUrls, idleTimeout,
        maxWatches, maxWatchesPerUser, files, maxListPage, quotas);
  }

  public ApiServerOptions withMaxListPage(int most) {
    return new ApiServerOptions(host, port, heartbeat, watchQueueBytes, version, allowFileGitUrls, idleTimeout,
        maxWatches, maxWatchesPerUser, tls, most, quotas);
  }

  public ApiServerOptions withQuotas(ObjectQuotas caps) {
    return new ApiServerOptions(host, port, heartbeat, watchQueueBytes, version, allowFileGitUrls, idleTimeout,
        maxWatches, maxWatchesPerUser, tls, maxListPage, caps);
  }
}
