package dev.ferry.controller.gitops;

import dev.ferry.api.model.GitSource;

/**
 * Whether a sync writes or only compares. It writes when there is something new to apply (a
 * commit it has not applied, a changed GitSource spec: {@code fresh}), when asked to (a webhook,
 * ferryctl), or always under {@code selfHeal}; otherwise it dry-runs, to report drift. A write
 * that is not {@code fresh} changes only what drifted, so what it configures was put back.
 */
record SyncPlan(String revision, boolean write, boolean fresh) {

  static SyncPlan decide(GitSource source, String commit, boolean requested) {
    String revision = source.spec().followed().describe() + "@sha1:" + commit;
    boolean fresh = !revision.equals(source.status().revision())
        || source.metadata().generation() != source.status().observedGeneration();
    return new SyncPlan(revision, fresh || requested || source.spec().selfHeal(), fresh);
  }
}
