package dev.ferry.api.model;

/**
 * Where a dataset should be writable.
 *
 * @param size the ZFS {@code refquota}
 * @param primary the node that holds the writable copy; empty until the controller places it.
 *     Moved in one transaction at a migration's Switch step.
 * @param migration the Migration that currently owns the dataset, empty when none does
 * @param reclaimPolicy whether the data outlives its StatefulApp
 */
public record DatasetSpec(Quantity size, String primary, String migration, ReclaimPolicy reclaimPolicy) {

  public DatasetSpec {
    primary = primary == null ? "" : primary;
    migration = migration == null ? "" : migration;
    reclaimPolicy = reclaimPolicy == null ? ReclaimPolicy.Retain : reclaimPolicy;
  }
}
