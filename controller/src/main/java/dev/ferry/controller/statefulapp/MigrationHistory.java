package dev.ferry.controller.statefulapp;

import dev.ferry.api.model.Migration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which of a StatefulApp's Migrations to delete so that its history stays bounded, as a
 * Deployment's {@code revisionHistoryLimit} bounds its ReplicaSets: the newest {@code limit}
 * finished ones stay (newest by completion, else by creation), and so does every unfinished one
 * and the one the app's Dataset still names, whatever their age.
 */
public final class MigrationHistory {

  private MigrationHistory() {}

  /**
   * @param migrations the app's Migrations (others are ignored)
   * @param heldBy the Migration the app's Dataset names in {@code spec.migration}, if any
   * @return the ones to delete, oldest first
   */
  public static List<Migration> prunable(String app, List<Migration> migrations, int limit, Optional<String> heldBy) {
    List<Migration> finished = migrations.stream()
        .filter(m -> m.spec().statefulApp().equals(app) && m.status().phase().isFinished())
        .sorted(Comparator.comparing(MigrationHistory::finishedAt).thenComparing(Migration::name))
        .toList();
    if (finished.size() <= limit) {
      return List.of();
    }
    return finished.subList(0, finished.size() - limit).stream()
        .filter(m -> heldBy.map(h -> !h.equals(m.name())).orElse(true))
        .toList();
  }

  private static Instant finishedAt(Migration m) {
    Instant done = m.status().completionTime();
    if (done != null) {
      return done;
    }
    Instant created = m.metadata().creationTimestamp();
    return created == null ? Instant.EPOCH : created;
  }
}
