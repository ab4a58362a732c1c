package dev.ferry.devcluster.launcher;

import dev.ferry.api.process.Command;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's file-backed ZFS pools and the mounts under its state directory; {@link #create}
 * and {@link #destroy} also serve the benchmarks that need pools of their own.
 */
public final class Pools {

  private Pools() {}

  /** Whether {@code zpool} reaches a ZFS (the zfs-fuse daemon). */
  static boolean zfsAnswers() {
    return Command.run("zpool", "list", "-H", "-o", "name").ok();
  }

  static boolean exists(String pool) {
    return Command.run("zpool", "list", "-H", "-o", "name", pool).ok();
  }

  /** {@code size health} of the pool as zpool prints them, or empty when it does not exist. */
  static Optional<String> describe(String pool) {
    Command c = Command.run("zpool", "list", "-H", "-o", "size,health", pool);
    return c.ok() ? Optional.of(c.stdout().strip().replace('\t', ' ')) : Optional.empty();
  }

  /** Creates {@code pool} on a sparse file of {@code sizeBytes}, with no mountpoint of its own. */
  public static void create(String pool, Path vdev, long sizeBytes) {
    try {
      Files.createDirectories(vdev.getParent());
      try (RandomAccessFile file = new RandomAccessFile(vdev.toFile(), "rw")) {
        file.setLength(sizeBytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the pool file " + vdev, e);
    }
    Command c = Command.run("zpool", "create", "-m", "none", pool, vdev.toString());
    if (!c.ok()) {
      throw new IllegalStateException("cannot create pool " + pool + ": " + c.failure());
    }
  }

  /**
   * Destroys {@code pool} (unmounting its datasets), retrying while a dataset is busy. Returns why
   * it could not, or empty when the pool is gone.
   */
  public static Optional<String> destroy(String pool) {
    Command last = null;
    for (int attempt = 0; attempt < 6; attempt++) {
      if (!exists(pool)) {
        return Optional.empty();
      }
      last = Command.run("zpool", "destroy", "-f", pool);
      if (last.ok()) {
        return Optional.empty();
      }
      sleep(Duration.ofMillis(200L << attempt));
    }
    return exists(pool) ? Optional.of(last.failure()) : Optional.empty();
  }

  /** Mount points at or under {@code root}, deepest first. */
  static List<Path> mountsUnder(Path root) {
    List<Path> mounts = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
        String[] fields = line.split(" ");
        if (fields.length > 1) {
          Path point = Path.of(unescape(fields[1]));
          if (point.startsWith(root)) {
            mounts.add(point);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/mounts", e);
    }
    mounts.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    return mounts;
  }

  /** Unmounts {@code point}; returns why it could not, or empty. */
  static Optional<String> unmount(Path point) {
    Command c = Command.run("umount", point.toString());
    if (c.ok()) {
      return Optional.empty();
    }
    Command fuse = Command.run("fusermount", "-u", point.toString());
    return fuse.ok() ? Optional.empty() : Optional.of(c.failure());
  }

  /** /proc/mounts writes space, tab, newline and backslash as octal escapes. */
  private static String unescape(String field) {
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
