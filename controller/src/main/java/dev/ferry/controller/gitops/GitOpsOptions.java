package dev.ferry.controller.gitops;

import dev.ferry.controller.admission.ObjectQuotas;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What GitOps may do, so that one GitSource cannot take the controller down with it.
 *
 * @param allowFileUrls whether {@code file://} repositories may be synced (a dev cluster, tests);
 *     off by default, since such a URL reads any repository on the controller's disk
 * @param maxFileBytes the largest manifest file a sync reads (its size is checked before it is read)
 * @param maxSyncBytes the most manifest bytes one sync reads in all
 * @param workers how many sources sync at once: a slow repository holds one worker, not all
 * @param credentialsDir where the folders that GitSources name in {@code spec.secretRef} are
 *     ({@link GitCredentials}); empty when this controller has none, and then a GitSource with a
 *     secretRef fails to sync, saying so
 * @param quotas how many objects of each kind may exist: an object past them is not created,
 *     and the GitSource's status says so
 */
public record GitOpsOptions(boolean allowFileUrls, long maxFileBytes, long maxSyncBytes, int workers,
    Optional<Path> credentialsDir, ObjectQuotas quotas) {

  public static final GitOpsOptions DEFAULTS = new GitOpsOptions(false, 1024 * 1024, 16 * 1024 * 1024, 4);

  public GitOpsOptions {
    if (maxFileBytes <= 0 || maxSyncBytes < maxFileBytes || workers < 1) {
      throw new IllegalArgumentException("GitOps limits must be positive, the sync's at least the file's: " + maxFileBytes
          + ", " + maxSyncBytes + ", " + workers + " workers");
    }
  }

  public GitOpsOptions(boolean allowFileUrls, long maxFileBytes, long maxSyncBytes, int workers) {
    this(allowFileUrls, maxFileBytes, maxSyncBytes, workers, Optional.empty(), ObjectQuotas.DEFAULTS);
  }

  public GitOpsOptions withFileUrls(boolean allowed) {
    return new GitOpsOptions(allowed, maxFileBytes, maxSyncBytes, workers, credentialsDir, quotas);
  }

  public GitOpsOptions withCredentialsDir(Optional<Path> dir) {
    return new GitOpsOptions(allowFileUrls, maxFileBytes, maxSyncBytes, workers, dir, quotas);
  }

  public GitOpsOptions withQuotas(ObjectQuotas caps) {
    return new GitOpsOptions(allowFileUrls, maxFileBytes, maxSyncBytes, workers, credentialsDir, caps);
  }
}
