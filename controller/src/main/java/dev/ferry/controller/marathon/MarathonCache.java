package dev.ferry.controller.marathon;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ferry.controller.statefulapp.MarathonView;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;

/**
 * Marathon's apps as last read, so that reconciling an app that did not change reads nothing
 * from Marathon. Entries are dropped when Marathon's event stream says something happened to
 * the app, all of them when the stream reconnects (it may have missed events), and after
 * {@code maxAge} in any case, a bound on how long a missed event can mislead.
 */
public final class MarathonCache {

  private final MarathonClient client;
  private final Cache<String, Future<Optional<MarathonView>>> apps;

  public MarathonCache(MarathonClient client, Duration maxAge) {
    this.client = client;
    this.apps = Caffeine.newBuilder().expireAfterWrite(maxAge).maximumSize(100_000).build();
  }

  /** The app with its tasks, from the cache or from Marathon. */
  public Future<Optional<MarathonView>> app(String appId) {
    Future<Optional<MarathonView>> cached = apps.getIfPresent(appId);
    if (cached != null && !cached.failed()) {
      return cached;
    }
    Future<Optional<MarathonView>> read = client.app(appId);
    apps.put(appId, read);
    read.onFailure(e -> apps.asMap().remove(appId, read));
    return read;
  }

  /** Forget one app: Marathon said something changed. */
  public void invalidate(String appId) {
    apps.invalidate(appId);
  }

  /** Forget everything: events may have been missed. */
  public void invalidateAll() {
    apps.invalidateAll();
  }
}
