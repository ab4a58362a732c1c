package dev.ferry.devcluster.apps;

/** {@code upgradeStrategy}: the share of instances that must stay healthy, and that may run extra, during a change. */
public record UpgradeStrategy(double minimumHealthCapacity, double maximumOverCapacity) {

  /** Healthy tasks that must remain while replacing {@code instances} tasks. */
  public int minimumHealthy(int instances) {
    return (int) Math.ceil(instances * minimumHealthCapacity);
  }

  /** The most tasks that may run at once while replacing {@code instances} tasks. */
  public int maximumTotal(int instances) {
    return instances + (int) Math.floor(instances * maximumOverCapacity);
  }
}
