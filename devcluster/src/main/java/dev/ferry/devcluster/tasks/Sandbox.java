package dev.ferry.devcluster.tasks;

import dev.ferry.devcluster.apps.HostVolume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A task's sandbox directory ({@code MESOS_SANDBOX}), with each host volume shown at its
 * {@code containerPath} as a symlink. There is no container filesystem here, so an absolute
 * {@code containerPath} is placed under the sandbox too; a relative {@code hostPath} is
 * sandbox-relative, as in Mesos.
 */
final class Sandbox {

  private Sandbox() {}

  static void prepare(Path sandbox, List<HostVolume> volumes) throws IOException {
    Files.createDirectories(sandbox);
    for (HostVolume volume : volumes) {
      Path link = sandbox.resolve(volume.containerPath().replaceFirst("^/+", ""));
      Path target = sandbox.resolve(volume.hostPath());
      Files.createDirectories(link.getParent());
      if (!Files.exists(target)) {
        Files.createDirectories(target);
      }
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, target);
    }
  }
}
