package dev.ferry.controller.gitops;

import dev.ferry.api.events.EventRecorder;
import dev.ferry.api.model.Condition;
import dev.ferry.api.model.Conditions;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.GitSource;
import dev.ferry.api.model.GitSourceStatus;
import dev.ferry.api.model.GitUrls;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.ObjectReference;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.controller.admission.Admission;
import dev.ferry.controller.admission.AdmissionException;
import dev.ferry.controller.admission.Applied;
import dev.ferry.controller.admission.ApplyOutcome;
import dev.ferry.controller.admission.Applier;
import dev.ferry.controller.admission.Deleter;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One sync of one GitSource, on a GitOps worker (it blocks on git and on the store): fetch the
 * ref, read every manifest under {@code spec.path} through {@link Admission} (the API's own
 * validation), apply each with the owner label through {@link Applier} (the API's own write
 * path) in file order, prune owned objects that left git when {@code prune} is set, and return
 * the status to write ({@link SyncReport}). Objects of the same name that this source does not
 * own are never touched.
 *
 * <p>One bad file or object does not hold back the others: a file that cannot be read, an
 * object of a kind users do not write, a second definition of an object, or an apply the API
 * refuses is reported (in {@code lastError} and a Warning Event, naming the file and the field)
 * and the rest is applied. While any file cannot be read, nothing is pruned: what that file
 * defines is not known. Every sync that writes, fails, prunes, finds drift or heals it records an
 * Event on the GitSource.
 */
final class GitSync {

  /** The label that says which GitSource applied an object. */
  static final String OWNER = GitSource.OWNER_LABEL;
  private static final long STORE_TIMEOUT_SECONDS = 30;

  private final EtcdStore store;
  private final GitOpsOptions options;
  private final Admission admission;
  private final Applier applier;
  private final Deleter deleter;
  private final EventRecorder events;

  GitSync(EtcdStore store, GitOpsOptions options) {
    this.store = store;
    this.options = options;
    this.admission = new Admission(options.allowFileUrls());
    this.applier = new Applier(store, options.quotas());
    this.deleter = new Deleter(store);
    this.events = new EventRecorder(store, "controller/gitops", Clock.systemUTC());
  }

  /** An object read from git, with the file that defines it. */
  private record Desired(String file, FerryObject<?, ?, ?> object) {
    String id() {
      return object.kind() + "/" + object.name();
    }
  }

  /** Syncs {@code source} with the mirror's copy of its repository (or, if suspended, does not); never throws. */
  GitSourceStatus run(GitSource source, GitMirror mirror, boolean requested) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    if (source.spec().suspend()) {
      return SyncReport.suspended(source, now);
    }
    SyncReport report = sync(source, mirror, requested);
    ObjectReference about = ObjectReference.to(source);
    if (!report.fetchError().isEmpty()) {
      event(about, false, "SyncFailed", report.fetchError());
    } else if (report.wrote()) {
      event(about, report.problems().isEmpty(), "Synced", "applied " + report.revision()
          + (report.problems().isEmpty() ? "" : ", except " + report.problems().size() + " that failed"));
    }
    return report.status(source, now);
  }

  private SyncReport sync(GitSource source, GitMirror mirror, boolean requested) {
    String url = source.spec().url();
    ObjectReference about = ObjectReference.to(source);
    SyncPlan plan;
    List<ManifestFile> files;
    try {
      // Stored before these checks, or written straight to etcd: refused here too.
      GitUrls.credentialProblem(url).or(() -> GitUrls.localProblem(url, options.allowFileUrls()))
          .ifPresent(problem -> {
            throw new GitException("spec.url: " + problem);
          });
      GitCredentials credentials = GitCredentials.read(options.credentialsDir(), source.spec().secretRef());
      String commit;
      try (GitAuth auth = new GitAuth(credentials, mirror.sshHome())) {
        commit = mirror.fetch(url, source.spec().followed(), auth);
      }
      plan = SyncPlan.decide(source, commit, requested);
      files = mirror.manifests(commit, source.spec().path(), options);
    } catch (RuntimeException e) {
      return SyncReport.fetchFailed(GitUrls.redact(Optional.ofNullable(e.getMessage()).orElse(e.toString()), url));
    }
    List<String> problems = new ArrayList<>();
    List<Desired> desired = read(files, source.name(), problems);
    boolean allRead = problems.isEmpty();
    List<String> drifted = new ArrayList<>();
    List<Desired> applied = new ArrayList<>();
    for (Desired d : desired) {
      try {
        Applied outcome = apply(source.name(), d, plan.write());
        applied.add(d);
        if (outcome.outcome() == ApplyOutcome.CONFIGURED && !plan.write()) {
          drifted.add(d.id());
          event(about, false, "Drifted", d.id() + " (from " + d.file() + ") was changed outside git");
        } else if (outcome.outcome() == ApplyOutcome.CONFIGURED && !plan.fresh()) {
          event(about, true, "SelfHealed", d.id() + " put back as " + d.file() + " has it");
        }
      } catch (RuntimeException e) {
        problems.add(d.file() + ": " + d.id() + ": " + message(e));
      }
    }
    problems.forEach(problem -> event(about, false, "ApplyFailed", problem));
    List<String> leftBehind = new ArrayList<>();
    try {
      prune(source, desired, plan.write() && allRead, leftBehind);
    } catch (RuntimeException e) {
      problems.add("prune: " + message(e));
      event(about, false, "PruneFailed", message(e));
    }
    return new SyncReport(plan.revision(), plan.write(), "", problems, drifted, leftBehind, notReady(applied));
  }

  /** The objects of {@code files}, in file order; what cannot be used goes to {@code problems}. */
  private List<Desired> read(List<ManifestFile> files, String owner, List<String> problems) {
    List<Desired> objects = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (ManifestFile file : files) {
      List<FerryObject<?, ?, ?>> inFile;
      try {
        inFile = admission.readAll(file.text());
      } catch (AdmissionException e) {
        problems.add(file.path() + ": " + e.getMessage());
        continue;
      }
      for (FerryObject<?, ?, ?> object : inFile) {
        String id = object.kind() + "/" + object.name();
        Kind<?, ?, ?> kind = Kind.find(object.kind()).orElseThrow();
        if (!kind.userWritable()) {
          problems.add(file.path() + ": " + id + ": GitOps applies only the kinds users write");
          continue;
        }
        String earlier = seen.putIfAbsent(id, file.path());
        if (earlier != null) {
          problems.add(file.path() + ": " + id + " is also defined in " + earlier + ": the first one is applied");
          continue;
        }
        objects.add(new Desired(file.path(), object.withMetadata(object.metadata()
            .withResourceVersion(0)
            .withLabels(withOwner(object.metadata().labels(), owner)))));
      }
    }
    return objects;
  }

  /** Applies (or dry-runs) one object, if this source owns it or it does not exist yet. */
  private Applied apply(String owner, Desired d, boolean write) {
    // The owner is checked on the read the apply writes over, not on one of its own.
    return await(applier.apply(d.object(), !write, stored -> {
      String holder = stored.map(s -> s.metadata().labels().getOrDefault(OWNER, "")).orElse(owner);
      if (!holder.equals(owner)) {
        throw new GitException(d.id() + " exists and is not owned by this GitSource"
            + (holder.isEmpty() ? "" : " (it belongs to GitSource " + holder + ")") + ": delete it or rename it in git");
      }
    }));
  }

  /** Deletes (when {@code allowed}) owned objects that left git; adds those it leaves to {@code leftBehind}. */
  private void prune(GitSource source, List<Desired> desired, boolean allowed, List<String> leftBehind) {
    LabelSelector owned = LabelSelector.of(Map.of(OWNER, source.name()));
    Set<String> wanted = new LinkedHashSet<>();
    desired.forEach(d -> wanted.add(d.id()));
    for (Kind<?, ?, ?> kind : Kind.ALL) {
      if (!kind.userWritable()) {
        continue;
      }
      for (FerryObject<?, ?, ?> object : await(store.list(kind, owned)).items()) {
        String id = kind.name() + "/" + object.name();
        if (wanted.contains(id)) {
          continue;
        }
        if (source.spec().prune() && allowed) {
          await(deleter.delete(kind, object.name(), 0, false));
          event(ObjectReference.to(source), true, "Pruned", id + " deleted: it is no longer in git");
        } else {
          leftBehind.add(id);
        }
      }
    }
  }

  /** The StatefulApps among {@code applied} whose Ready condition is not True. */
  private List<String> notReady(List<Desired> applied) {
    List<String> waiting = new ArrayList<>();
    for (Desired d : applied) {
      if (d.object() instanceof StatefulApp app) {
        boolean ready = await(store.get(Kind.STATEFUL_APP, app.name()))
            .map(a -> Conditions.find(a.status().conditions(), "Ready"))
            .map(Condition::isTrue).orElse(false);
        if (!ready) {
          waiting.add(d.id());
        }
      }
    }
    return waiting;
  }

  private void event(ObjectReference about, boolean normal, String reason, String message) {
    // Best effort and never throws (EventRecorder), waited for so that Events keep the sync's order.
    try {
      await(normal ? events.normal(about, reason, message) : events.warning(about, reason, message));
    } catch (RuntimeException e) {
      // a slow etcd: the status still says it
    }
  }

  private static String message(RuntimeException e) {
    return Optional.ofNullable(e.getMessage()).orElse(e.toString());
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
