package dev.ferry.controller.marathon;

import java.util.List;

/**
 * 409: a deployment of the app is under way, so Marathon refuses to start another. Not an
 * error of Ferry's: the reconciler retries once the deployment is done (or forces, when it
 * must stop an app).
 */
public final class MarathonLockedException extends MarathonException {

  private final List<String> deployments;

  public MarathonLockedException(String message, List<String> deployments) {
    super(409, message);
    this.deployments = List.copyOf(deployments);
  }

  /** The ids of the deployments that hold the lock. */
  public List<String> deployments() {
    return deployments;
  }
}
