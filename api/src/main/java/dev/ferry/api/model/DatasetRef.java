package dev.ferry.api.model;

/**
 * The dataset a StatefulApp uses.
 *
 * @param name the Dataset object's name, also the ZFS filesystem's last component
 * @param size the ZFS {@code refquota}
 * @param mountPath where the container sees the data: absolute and normalised
 * @param reclaimPolicy what happens to the data when the StatefulApp is deleted
 */
public record DatasetRef(String name, Quantity size, String mountPath, ReclaimPolicy reclaimPolicy) {

  public static final String DEFAULT_MOUNT_PATH = "/data";

  public DatasetRef {
    mountPath = mountPath == null ? DEFAULT_MOUNT_PATH : mountPath;
    reclaimPolicy = reclaimPolicy == null ? ReclaimPolicy.Retain : reclaimPolicy;
  }
}
