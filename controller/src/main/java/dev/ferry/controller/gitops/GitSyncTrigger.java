package dev.ferry.controller.gitops;

import dev.ferry.api.model.GitSource;
import java.util.concurrent.CompletableFuture;

/** Syncs one GitSource now (the API's {@code POST .../gitsources/<name>/sync}, a git webhook). */
@FunctionalInterface
public interface GitSyncTrigger {

  /** When this controller runs no GitOps: every request fails, saying so. */
  GitSyncTrigger NOT_RUNNING = name -> CompletableFuture.failedFuture(
      new IllegalStateException("GitOps is not running on this controller"));

  /**
   * Syncs the GitSource {@code name} at once.
   *
   * @return the GitSource with the status that sync wrote
   */
  CompletableFuture<GitSource> syncNow(String name);
}
