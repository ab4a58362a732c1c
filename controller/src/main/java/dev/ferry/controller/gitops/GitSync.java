package dev.ferry.controller.gitops;

import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.GitSource;
import dev.ferry.api.model.GitSourceStatus;
import dev.ferry.api.model.GitUrls;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.SyncState;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.controller.admission.Admission;
import dev.ferry.controller.admission.AdmissionException;
import dev.ferry.controller.admission.Applied;
import dev.ferry.controller.admission.ApplyOutcome;
import dev.ferry.controller.admission.Applier;
import dev.ferry.controller.admission.Deleter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One sync of one GitSource, on the GitOps thread (it blocks on git and on the store):
 * fetch the branch, read every manifest under {@code spec.path} through {@link Admission} (the
 * API's own validation), apply each with the owner label through {@link Applier} (the API's
 * own write path), prune owned objects that left git when {@code prune} is set, and return the
 * status to write. Objects of the same name that this source does not own are never touched.
 */
final class GitSync {

  /** The label that says which GitSource applied an object. */
  static final String OWNER = "ferry.dev/gitsource";
  private static final long STORE_TIMEOUT_SECONDS = 30;

  private final EtcdStore store;
  private final GitOpsOptions options;
  private final Admission admission;
  private final Applier applier;
  private final Deleter deleter;

  GitSync(EtcdStore store, GitOpsOptions options) {
    this.store = store;
    this.options = options;
    this.admission = new Admission(options.allowFileUrls());
    this.applier = new Applier(store);
    this.deleter = new Deleter(store);
  }

  /** Syncs {@code source} with the mirror's copy of its repository; never throws. */
  GitSourceStatus run(GitSource source, GitMirror mirror, boolean requested) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    long generation = source.metadata().generation();
    GitSourceStatus before = source.status();
    String url = source.spec().url();
    try {
      // Stored before these checks, or written straight to etcd: refused here too.
      GitUrls.credentialProblem(url).or(() -> GitUrls.localProblem(url, options.allowFileUrls()))
          .ifPresent(problem -> {
            throw new GitException("spec.url: " + problem);
          });
      String commit = mirror.fetch(url, source.spec().branch());
      SyncPlan plan = SyncPlan.decide(source, commit, requested);
      List<FerryObject<?, ?, ?>> desired = read(mirror, commit, source);
      boolean drift = apply(source.name(), desired, plan.write());
      boolean stale = prune(source, desired, plan.write());
      SyncState state = drift || stale ? SyncState.OutOfSync : SyncState.Synced;
      String applied = plan.write() ? plan.revision() : before.revision();
      return new GitSourceStatus(generation, applied, state, "", now, before.conditions());
    } catch (RuntimeException e) {
      return new GitSourceStatus(generation, before.revision(), SyncState.OutOfSync,
          GitUrls.redact(Optional.ofNullable(e.getMessage()).orElse(e.toString()), url), now, before.conditions());
    }
  }

  private List<FerryObject<?, ?, ?>> read(GitMirror mirror, String commit, GitSource source) {
    List<FerryObject<?, ?, ?>> objects = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (ManifestFile file : mirror.manifests(commit, source.spec().path(), options)) {
      List<FerryObject<?, ?, ?>> inFile;
      try {
        inFile = admission.readAll(file.text());
      } catch (AdmissionException e) {
        throw new GitException(file.path() + ": " + e.getMessage(), e);
      }
      for (FerryObject<?, ?, ?> object : inFile) {
        String id = object.kind() + "/" + object.name();
        Kind<?, ?, ?> kind = Kind.find(object.kind()).orElseThrow();
        if (!kind.userWritable()) {
          throw new GitException(file.path() + ": " + id + ": GitOps applies only the kinds users write");
        }
        String earlier = seen.put(id, file.path());
        if (earlier != null) {
          throw new GitException(file.path() + ": " + id + " is also defined in " + earlier);
        }
        objects.add(object.withMetadata(object.metadata()
            .withResourceVersion(0)
            .withLabels(withOwner(object.metadata().labels(), source.name()))));
      }
    }
    return objects;
  }

  /** Applies (or dry-runs) each object; returns whether any differs from what is stored. */
  private boolean apply(String owner, List<FerryObject<?, ?, ?>> desired, boolean write) {
    boolean drift = false;
    for (FerryObject<?, ?, ?> object : desired) {
      // The owner is checked on the read the apply writes over, not on one of its own.
      Applied applied = await(applier.apply(object, !write, stored -> {
        String holder = stored.map(s -> s.metadata().labels().getOrDefault(OWNER, "")).orElse(owner);
        if (!holder.equals(owner)) {
          throw new GitException(object.kind() + "/" + object.name() + " exists and is not owned by this GitSource"
              + (holder.isEmpty() ? "" : " (it belongs to GitSource " + holder + ")") + ": delete it or rename it in git");
        }
      }));
      drift |= !write && applied.outcome() != ApplyOutcome.UNCHANGED;
    }
    return drift;
  }

  /** Deletes (when allowed) owned objects that left git; returns whether any are left behind. */
  private boolean prune(GitSource source, List<FerryObject<?, ?, ?>> desired, boolean write) {
    LabelSelector owned = LabelSelector.of(Map.of(OWNER, source.name()));
    Map<String, Boolean> wanted = new LinkedHashMap<>();
    desired.forEach(o -> wanted.put(o.kind() + "/" + o.name(), true));
    boolean leftBehind = false;
    for (Kind<?, ?, ?> kind : Kind.ALL) {
      if (!kind.userWritable()) {
        continue;
      }
      for (FerryObject<?, ?, ?> object : await(store.list(kind, owned)).items()) {
        if (wanted.containsKey(kind.name() + "/" + object.name())) {
          continue;
        }
        if (source.spec().prune() && write) {
          await(deleter.delete(kind, object.name(), 0, false));
        } else {
          leftBehind = true;
        }
      }
    }
    return leftBehind;
  }

  private static Map<String, String> withOwner(Map<String, String> labels, String owner) {
    Map<String, String> out = new LinkedHashMap<>(labels);
    out.put(OWNER, owner);
    return out;
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("etcd did not answer within " + STORE_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
