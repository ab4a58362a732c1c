package dev.ferry.devcluster.scheduler;

import java.util.List;

/** A change to an app that a running deployment holds; Marathon answers 409 with the deployments. */
public final class AppLockedException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final transient List<Deployment> deployments;

  AppLockedException(List<Deployment> deployments) {
    super("App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/"
        + deployments.get(0).id() + "'.");
    this.deployments = List.copyOf(deployments);
  }

  public List<Deployment> deployments() {
    return deployments;
  }
}
