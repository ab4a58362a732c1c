package dev.ferry.agent.zfs;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where Ferry keeps datasets on a node: filesystem {@code <pool>/ferry/<dataset>}, mounted at
 * {@code <datasetRoot>/<dataset>}.
 *
 * @param pool the ZFS pool, which must already exist
 * @param datasetRoot absolute directory under which datasets are mounted
 */
public record ZfsLayout(String pool, Path datasetRoot) {

  private static final Pattern POOL = Pattern.compile("[A-Za-z][A-Za-z0-9_.:-]*");

  public ZfsLayout {
    if (pool == null || !POOL.matcher(pool).matches()) {
      throw new IllegalArgumentException("pool name '" + pool + "' is not a ZFS pool name");
    }
    if (datasetRoot == null || !datasetRoot.isAbsolute()) {
      throw new IllegalArgumentException("dataset root '" + datasetRoot + "' must be an absolute path");
    }
    datasetRoot = datasetRoot.normalize();
  }

  /** The parent filesystem of all of Ferry's datasets: {@code <pool>/ferry}. */
  public String root() {
    return pool + "/ferry";
  }

  public String filesystem(DatasetName dataset) {
    return root() + "/" + dataset.value();
  }

  public String snapshot(DatasetName dataset, String snapshot) {
    return filesystem(dataset) + "@" + DatasetName.requireLabel("snapshot name", snapshot);
  }

  public Path mountpoint(DatasetName dataset) {
    return datasetRoot.resolve(dataset.value());
  }
}
