package dev.ferry.controller.gitops;

import dev.ferry.api.model.GitSecretRef;
import dev.ferry.api.model.GitSource;
import dev.ferry.api.model.GitSourceStatus;
import dev.ferry.api.model.GitUrls;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.store.ConflictException;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.NotFoundException;
import dev.ferry.api.store.Subscription;
import dev.ferry.api.store.WatchEvent;
import dev.ferry.api.validation.FieldError;
import dev.ferry.controller.admission.AdmissionException;
import dev.ferry.controller.runtime.LeaderDuties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every GitSource synced: watches the GitSources, and syncs each one when its interval has
 * passed, when its spec changed, or when {@link #syncNow} or {@link #requestSync} (a webhook)
 * asks; a source with {@code spec.suspend} is synced only to record that it is suspended. One scheduler thread decides what
 * is due; the syncs (git and the store's answers are waited for there, never on an event loop)
 * run on a bounded pool of {@link GitOpsOptions#workers} threads, one sync per source at a time,
 * so a slow or hanging repository holds one worker and the other sources keep syncing. One of
 * the leader's jobs ({@link LeaderDuties.Job}): it starts with the leader's fenced store, so a
 * deposed leader's applies and prunes fail, and stops when leadership goes.
 */
public final class GitOps implements GitSyncTrigger, LeaderDuties.Job {

  private static final Logger LOG = LoggerFactory.getLogger(GitOps.class);
  private static final Duration TICK = Duration.ofMillis(500);

  private final Path cacheDir;
  private final GitOpsOptions options;
  /** The leader's fenced store and the sync over it, while started. */
  private EtcdStore store;
  private GitSync sync;
  private final MeterRegistry metrics;
  private final Map<String, GitSource> sources = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastSync = new ConcurrentHashMap<>();
  /** Sources asked to sync ({@link #requestSync}): the next tick queues them, as syncs that write. */
  private final Set<String> requested = ConcurrentHashMap.newKeySet();
  /** Sources a worker is syncing now: the scheduler does not queue them again meanwhile. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  /** One lock per source, so a requested sync and a scheduled one never share its mirror. */
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private Optional<ScheduledExecutorService> scheduler = Optional.empty();
  private Optional<ExecutorService> workers = Optional.empty();
  private Optional<Subscription> watch = Optional.empty();

  public GitOps(Path cacheDir, MeterRegistry metrics, GitOpsOptions options) {
    this.cacheDir = cacheDir;
    this.options = options;
    this.metrics = metrics;
  }

  /** Starts watching and syncing, writing through {@code fenced}; does nothing if already started. */
  @Override
  public synchronized void start(EtcdStore fenced) {
    if (scheduler.isPresent()) {
      return;
    }
    store = fenced;
    sync = new GitSync(fenced, options);
    ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(daemon("ferry-gitops"));
    scheduler = Optional.of(thread);
    workers = Optional.of(Executors.newFixedThreadPool(options.workers(), daemon("ferry-gitops-sync")));
    watch = Optional.of(store.listAndWatch(Kind.GIT_SOURCE, LabelSelector.EVERYTHING,
        event -> thread.execute(() -> seen(event))));
    thread.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops syncing; syncs in progress get 30 s to finish. */
  @Override
  public synchronized void stop() {
    watch.ifPresent(Subscription::close);
    watch = Optional.empty();
    scheduler.ifPresent(ExecutorService::shutdown);
    workers.ifPresent(ExecutorService::shutdown);
    for (ExecutorService pool : List.of(scheduler, workers).stream().flatMap(Optional::stream).toList()) {
      try {
        pool.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    scheduler = Optional.empty();
    workers = Optional.empty();
    inFlight.clear();
  }

  @Override
  public CompletableFuture<GitSource> syncNow(String name) {
    Optional<ExecutorService> running;
    EtcdStore leaders;
    synchronized (this) {
      running = workers;
      leaders = store;
    }
    if (running.isEmpty()) {
      return GitSyncTrigger.NOT_RUNNING.syncNow(name);
    }
    return CompletableFuture.supplyAsync(() -> {
      GitSource source = GitSync.await(leaders.get(Kind.GIT_SOURCE, name))
          .orElseThrow(() -> new NotFoundException(Kind.GIT_SOURCE.name(), name));
      if (source.spec().suspend()) {
        throw new AdmissionException(AdmissionException.Problem.IN_USE, "GitSource " + name + " is suspended",
            List.of(new FieldError("spec.suspend", "is true: set it to false to sync again")));
      }
      return syncAndRecord(source, true);
    }, running.get());
  }

  /** Queues a sync that writes for the next tick (within half a second); a suspended source ignores it. */
  @Override
  public CompletableFuture<Void> requestSync(String name) {
    if (!running()) {
      return GitSyncTrigger.NOT_RUNNING.requestSync(name);
    }
    requested.add(name);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized boolean running() {
    return workers.isPresent();
  }

  @Override
  public Optional<String> webhookSecret(GitSecretRef ref) {
    try {
      return Optional.of(GitCredentials.read(options.credentialsDir(), ref).webhookSecret()).filter(s -> !s.isEmpty());
    } catch (GitException e) {
      LOG.warn("webhook: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private void seen(WatchEvent<GitSource> event) {
    String name = event.object().name();
    if (event.type() == WatchEvent.Type.DELETED) {
      sources.remove(name);
      lastSync.remove(name);
      requested.remove(name);
    } else {
      sources.put(name, event.object());
    }
  }

  /** On the scheduler thread: hands each due source to a worker. Never throws (that would end the schedule). */
  private void tick() {
    Instant now = Instant.now();
    ExecutorService pool = workers.orElse(null);
    for (GitSource source : Map.copyOf(sources).values()) {
      try {
        boolean asked = requested.contains(source.name());
        if (pool != null && (asked || isDue(source, now)) && inFlight.add(source.name())) {
          requested.remove(source.name());
          lastSync.put(source.name(), now);
          pool.execute(() -> syncQueued(source, asked));
        }
      } catch (RuntimeException e) {
        inFlight.remove(source.name());
        LOG.warn("GitSource {}: not scheduled: {}", source.name(), e.toString());
      }
    }
  }

  private boolean isDue(GitSource source, Instant now) {
    if (source.metadata().generation() != source.status().observedGeneration()) {
      return true;
    }
    if (source.spec().suspend()) {
      return false;
    }
    Instant last = lastSync.get(source.name());
    // Compared as the time passed, never as last + interval: that sum can pass Instant.MAX.
    return last == null || Duration.between(last, now).compareTo(source.spec().interval()) >= 0;
  }

  private void syncQueued(GitSource source, boolean asked) {
    try {
      syncAndRecord(source, asked);
    } catch (RuntimeException e) {
      LOG.warn("GitSource {}: sync failed: {}", source.name(), GitUrls.redact(e.toString(), source.spec().url()));
    } finally {
      inFlight.remove(source.name());
    }
  }

  /** Syncs, writes the status (re-reading once if the GitSource changed meanwhile), returns it. */
  private GitSource syncAndRecord(GitSource source, boolean requested) {
    synchronized (locks.computeIfAbsent(source.name(), n -> new Object())) {
      lastSync.put(source.name(), Instant.now());
      GitMirror mirror = new GitMirror(cacheDir.resolve(source.name()));
      GitSourceStatus status = sync.run(source, mirror, requested);
      String result = source.spec().suspend() ? "Suspended"
          : status.lastError().isEmpty() ? status.sync().name() : "Error";
      Counter.builder("ferry.gitops.syncs").description("GitSource syncs by source and result")
          .tags("source", source.name(), "result", result).register(metrics).increment();
      if (!status.lastError().isEmpty() && !source.spec().suspend()) {
        LOG.warn("GitSource {}: {}", source.name(), status.lastError());
      }
      GitSource written;
      try {
        written = GitSync.await(store.updateStatus(source.withStatus(status)));
      } catch (ConflictException e) {
        GitSource current = GitSync.await(store.get(Kind.GIT_SOURCE, source.name()))
            .orElseThrow(() -> new NotFoundException(Kind.GIT_SOURCE.name(), source.name()));
        // Only the status is written, so the generation seen in the sync must stay the truth.
        GitSourceStatus kept = status.withObservedGeneration(source.metadata().generation());
        written = GitSync.await(store.updateStatus(current.withStatus(kept)));
      }
      GitSource fresh = written;
      // A watch event may have brought a newer version meanwhile: keep that one.
      sources.computeIfPresent(fresh.name(), (name, old) ->
          old.metadata().resourceVersion() > fresh.metadata().resourceVersion() ? old : fresh);
      return written;
    }
  }
}
