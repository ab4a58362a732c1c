package dev.ferry.controller.queue;

import io.vertx.core.Future;

/**
 * Brings one object towards its spec. Gets only the object's name: everything else is read
 * inside, so it never matters what woke it (level-triggered). A failed future is retried with
 * backoff; a result may ask to be run again later even on success.
 */
@FunctionalInterface
public interface Reconciler {

  Future<ReconcileResult> reconcile(String name);
}
