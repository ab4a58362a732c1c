package dev.ferry.controller.gitops;

import dev.ferry.api.model.GitSecretRef;
import dev.ferry.api.model.GitSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Syncs one GitSource now (the API's {@code POST .../gitsources/<name>/sync}, a git webhook). */
public interface GitSyncTrigger {

  /** When this controller runs no GitOps: every request fails, saying so. */
  GitSyncTrigger NOT_RUNNING = new GitSyncTrigger() {
    @Override
    public CompletableFuture<GitSource> syncNow(String name) {
      return CompletableFuture.failedFuture(new IllegalStateException("GitOps is not running on this controller"));
    }

    @Override
    public boolean running() {
      return false;
    }
  };

  /**
   * Syncs the GitSource {@code name} at once.
   *
   * @return the GitSource with the status that sync wrote
   */
  CompletableFuture<GitSource> syncNow(String name);

  /**
   * Asks for a sync of {@code name} that writes, soon, and returns at once: many requests before
   * it runs make one sync (a webhook). Fails when GitOps is not running here.
   */
  default CompletableFuture<Void> requestSync(String name) {
    return syncNow(name).thenApply(synced -> null);
  }

  /** Whether this controller runs GitOps now (it is the leader). */
  default boolean running() {
    return true;
  }

  /**
   * The webhook secret in the credentials that {@code ref} names, empty when there is none.
   * Blocking: it reads a file.
   */
  default Optional<String> webhookSecret(GitSecretRef ref) {
    return Optional.empty();
  }
}
