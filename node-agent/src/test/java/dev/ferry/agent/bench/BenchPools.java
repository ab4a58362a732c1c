package dev.ferry.agent.bench;

import dev.ferry.agent.zfs.ZfsCli;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * The benchmark's own file-backed pools ({@code ferrybench-<random>}), destroyed with their files
 * on {@link #close}, or by a shutdown hook if the run is interrupted. Only pools this object
 * created are ever destroyed.
 */
final class BenchPools implements AutoCloseable {

  /** A pool and the empty directory its datasets mount under. */
  record Pool(String name, Path dir, Path mountRoot) {}

  private final ZfsCli cli = ZfsCli.standard();
  private final Deque<Pool> created = new ArrayDeque<>();
  private final Thread cleanup = new Thread(this::close, "bench-pool-cleanup");

  BenchPools() {
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  synchronized Pool create(long sizeBytes) throws IOException {
    String name = "ferrybench-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    Path dir = Files.createTempDirectory(name + "-");
    Path vdev = dir.resolve("vdev");
    try (RandomAccessFile file = new RandomAccessFile(vdev.toFile(), "rw")) {
      file.setLength(sizeBytes);
    }
    Pool pool = new Pool(name, dir, Files.createDirectory(dir.resolve("mnt")));
    cli.zpool("create", "-m", "none", name, vdev.toString());
    created.push(pool);
    return pool;
  }

  @Override
  public synchronized void close() {
    while (!created.isEmpty()) {
      Pool pool = created.pop();
      try {
        cli.zpool("destroy", "-f", pool.name());
      } catch (RuntimeException e) {
        System.err.println("could not destroy bench pool " + pool.name() + ": " + e.getMessage());
      }
      try (Stream<Path> files = Files.walk(pool.dir())) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        System.err.println("could not delete " + pool.dir() + ": " + e.getMessage());
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // Already shutting down: this is the hook running.
    }
  }
}
