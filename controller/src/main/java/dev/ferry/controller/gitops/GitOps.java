package dev.ferry.controller.gitops;

import dev.ferry.api.model.GitSource;
import dev.ferry.api.model.GitSourceStatus;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.store.ConflictException;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.NotFoundException;
import dev.ferry.api.store.Subscription;
import dev.ferry.api.store.WatchEvent;
import dev.ferry.controller.metrics.Counter;
import dev.ferry.controller.metrics.MetricsRegistry;
import dev.ferry.controller.runtime.LeaderDuties;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every GitSource synced: watches the GitSources, and on one thread of its own (git and
 * the store's answers are waited for there, never on an event loop) syncs each one when its
 * interval has passed, when its spec changed, or when {@link #syncNow} asks. One of the leader's
 * jobs ({@link LeaderDuties.Job}): it starts with the leader's fenced store, so a deposed
 * leader's applies and prunes fail, and stops when leadership goes.
 */
public final class GitOps implements GitSyncTrigger, LeaderDuties.Job {

  private static final Logger LOG = LoggerFactory.getLogger(GitOps.class);
  private static final Duration TICK = Duration.ofMillis(500);

  private final Path cacheDir;
  /** The leader's fenced store and the sync over it, while started. */
  private EtcdStore store;
  private GitSync sync;
  private final Counter syncs;
  /** Confined to the worker thread. */
  private final Map<String, GitSource> sources = new HashMap<>();
  private final Map<String, Instant> lastSync = new HashMap<>();
  private Optional<ScheduledExecutorService> worker = Optional.empty();
  private Optional<Subscription> watch = Optional.empty();

  public GitOps(Path cacheDir, MetricsRegistry metrics) {
    this.cacheDir = cacheDir;
    this.syncs = metrics.counter("ferry_gitops_syncs_total", "GitSource syncs by source and result", "source", "result");
  }

  /** Starts watching and syncing, writing through {@code fenced}; does nothing if already started. */
  @Override
  public synchronized void start(EtcdStore fenced) {
    if (worker.isPresent()) {
      return;
    }
    store = fenced;
    sync = new GitSync(fenced);
    ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ferry-gitops");
      t.setDaemon(true);
      return t;
    });
    worker = Optional.of(thread);
    watch = Optional.of(store.listAndWatch(Kind.GIT_SOURCE, LabelSelector.EVERYTHING,
        event -> thread.execute(() -> seen(event))));
    thread.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops syncing; a sync in progress finishes first. */
  @Override
  public synchronized void stop() {
    watch.ifPresent(Subscription::close);
    watch = Optional.empty();
    worker.ifPresent(w -> {
      w.shutdown();
      try {
        w.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    worker = Optional.empty();
  }

  @Override
  public CompletableFuture<GitSource> syncNow(String name) {
    Optional<ScheduledExecutorService> running;
    EtcdStore leaders;
    synchronized (this) {
      running = worker;
      leaders = store;
    }
    if (running.isEmpty()) {
      return GitSyncTrigger.NOT_RUNNING.syncNow(name);
    }
    return CompletableFuture.supplyAsync(() -> {
      GitSource source = GitSync.await(leaders.get(Kind.GIT_SOURCE, name))
          .orElseThrow(() -> new NotFoundException(Kind.GIT_SOURCE.name(), name));
      return syncAndRecord(source, true);
    }, running.get());
  }

  private void seen(WatchEvent<GitSource> event) {
    String name = event.object().name();
    if (event.type() == WatchEvent.Type.DELETED) {
      sources.remove(name);
      lastSync.remove(name);
    } else {
      sources.put(name, event.object());
    }
  }

  private void tick() {
    Instant now = Instant.now();
    for (GitSource source : Map.copyOf(sources).values()) {
      boolean specChanged = source.metadata().generation() != source.status().observedGeneration();
      boolean due = lastSync.getOrDefault(source.name(), Instant.MIN.plusSeconds(1))
          .plus(source.spec().interval()).isBefore(now);
      if (specChanged || due) {
        try {
          syncAndRecord(source, false);
        } catch (RuntimeException e) {
          LOG.warn("GitSource {}: sync failed: {}", source.name(), e.toString());
        }
      }
    }
  }

  /** Syncs, writes the status (re-reading once if the GitSource changed meanwhile), returns it. */
  private GitSource syncAndRecord(GitSource source, boolean requested) {
    lastSync.put(source.name(), Instant.now());
    GitMirror mirror = new GitMirror(cacheDir.resolve(source.name()));
    GitSourceStatus status = sync.run(source, mirror, requested);
    syncs.inc(source.name(), status.lastError().isEmpty() ? status.sync().name() : "Error");
    if (!status.lastError().isEmpty()) {
      LOG.warn("GitSource {}: {}", source.name(), status.lastError());
    }
    GitSource written;
    try {
      written = GitSync.await(store.updateStatus(source.withStatus(status)));
    } catch (ConflictException e) {
      GitSource current = GitSync.await(store.get(Kind.GIT_SOURCE, source.name()))
          .orElseThrow(() -> new NotFoundException(Kind.GIT_SOURCE.name(), source.name()));
      // Only the status is written, so the generation seen in the sync must stay the truth.
      GitSourceStatus kept = new GitSourceStatus(source.metadata().generation(), status.revision(),
          status.sync(), status.lastError(), status.lastSyncTime(), status.conditions());
      written = GitSync.await(store.updateStatus(current.withStatus(kept)));
    }
    sources.put(written.name(), written);
    return written;
  }
}
