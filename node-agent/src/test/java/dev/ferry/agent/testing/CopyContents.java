package dev.ferry.agent.testing;

import dev.ferry.agent.zfs.DatasetName;
import dev.ferry.agent.zfs.ZfsCli;
import dev.ferry.agent.zfs.ZfsDriver;
import dev.ferry.agent.zfs.ZfsLayout;
import dev.ferry.api.model.Snapshot;
import dev.ferry.api.process.Command;
import dev.ferry.testing.ZfsPoolExtension.Pool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a copy that is not mounted (a standby) from disk, without mounting it where its agent
 * would see: clones its newest snapshot outside Ferry's datasets ({@code <pool>/inspect}),
 * mounts the clone read-only in the pool's own directory, fingerprints it, and destroys it.
 */
public final class CopyContents {

  private CopyContents() {}

  /** {@link DataFiles#checksums} of the newest snapshot of {@code dataset} in {@code pool}. */
  public static Map<String, String> newestSnapshot(Pool pool, String dataset) throws IOException {
    ZfsDriver zfs = ZfsDriver.detect(new ZfsLayout(pool.name(), pool.mountRoot()), ZfsCli.standard());
    List<Snapshot> snapshots = zfs.snapshots(DatasetName.of(dataset));
    String newest = pool.name() + "/ferry/" + dataset + "@" + snapshots.get(snapshots.size() - 1).name();
    String clone = pool.name() + "/inspect";
    Path mount = pool.file().getParent().resolve("inspect");
    Command.run("zfs", "clone", "-o", "readonly=on", "-o", "mountpoint=" + mount, newest, clone).orThrow();
    try {
      Command.run("zfs", "mount", clone);
      return DataFiles.checksums(mount);
    } finally {
      Command.run("zfs", "unmount", clone);
      Command.run("zfs", "destroy", clone).orThrow();
    }
  }
}
