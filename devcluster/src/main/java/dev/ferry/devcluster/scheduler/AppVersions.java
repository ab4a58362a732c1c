package dev.ferry.devcluster.scheduler;

import dev.ferry.devcluster.apps.AppDefinition;
import dev.ferry.devcluster.apps.AppId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each app's past definitions, newest first, at most {@link #MAX} of them; the oldest is dropped.
 * Marathon keeps {@code zk_max_versions} (50 by default); devcluster keeps fewer because its
 * state file, versions included, is rewritten whole after every change. An app's history ends
 * with it.
 */
final class AppVersions {

  static final int MAX = 20;

  private final Map<AppId, Deque<AppDefinition>> byApp = new HashMap<>();

  /** Records {@code app} as its newest version; the same version twice is kept once. */
  void add(AppDefinition app) {
    Deque<AppDefinition> versions = byApp.computeIfAbsent(app.id(), id -> new ArrayDeque<>());
    if (!versions.isEmpty() && versions.peekFirst().version().equals(app.version())) {
      versions.pollFirst();
    }
    versions.addFirst(app);
    while (versions.size() > MAX) {
      versions.pollLast();
    }
  }

  /** The versions of the app, newest first; empty for an unknown app. */
  List<AppDefinition> of(AppId id) {
    return List.copyOf(byApp.getOrDefault(id, new ArrayDeque<>()));
  }

  Optional<AppDefinition> of(AppId id, String version) {
    return byApp.getOrDefault(id, new ArrayDeque<>()).stream().filter(a -> a.version().equals(version)).findFirst();
  }

  void remove(AppId id) {
    byApp.remove(id);
  }
}
