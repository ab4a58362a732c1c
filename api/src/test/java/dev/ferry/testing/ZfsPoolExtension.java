package dev.ferry.testing;

import dev.ferry.api.process.Command;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests real, throw-away ZFS pools on zfs-fuse (or any ZFS whose {@code zpool} accepts a
 * file vdev).
 *
 * <p>Register it with {@code @RegisterExtension}: {@link #perTest()} gives every test its own
 * pool, {@link #perClass()} one pool for the whole class (register it on a static field). The
 * scope's pool is {@link #pool()}, or a {@link Pool} parameter of the test method. {@link
 * #create(long)} makes more pools (two nodes, a pool too small for a stream) that end with the
 * same scope.
 *
 * <p>Each pool is named {@code ferrytest-<random>}, backed by a sparse file in its own temp
 * directory, created with {@code mountpoint=none}, and comes with an empty {@link Pool#mountRoot()}
 * directory for datasets to be mounted under. At the end of its scope it is destroyed and its
 * directory deleted, whether the test passed or not; a JVM shutdown hook does the same for
 * anything a killed run left behind. The zfs-fuse daemon is started if {@code zpool} cannot
 * reach one, and is left running: it is shared by everything on the host.
 */
public final class ZfsPoolExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

  /** zfs-fuse refuses vdevs smaller than 64 MiB; 256 MiB of sparse file costs nothing until written. */
  public static final long DEFAULT_SIZE = 256L << 20;
  public static final long MIN_SIZE = 64L << 20;

  private static final Duration DAEMON_START_TIMEOUT = Duration.ofSeconds(20);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Path PID_FILE = Path.of("/var/run/zfs-fuse.pid");
  /** Every pool any instance still owns, for the shutdown hook. */
  private static final Set<Pool> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ZfsPoolExtension::destroyQuietly),
        "zfs-pool-cleanup"));
  }

  /**
   * A test pool.
   *
   * @param name the pool's name, as {@code zpool} and {@code zfs} know it
   * @param file the sparse file backing it
   * @param mountRoot an empty directory owned by this pool, for mountpoints of its datasets
   */
  public record Pool(String name, Path file, Path mountRoot) {}

  private final boolean perClass;
  private final Deque<Pool> owned = new ArrayDeque<>();
  private Pool scopePool;

  private ZfsPoolExtension(boolean perClass) {
    this.perClass = perClass;
  }

  /** A fresh pool for every test method. */
  public static ZfsPoolExtension perTest() {
    return new ZfsPoolExtension(false);
  }

  /** One pool shared by all tests of the class; register on a static field. */
  public static ZfsPoolExtension perClass() {
    return new ZfsPoolExtension(true);
  }

  /** The current scope's pool. */
  public Pool pool() {
    if (scopePool == null) {
      throw new IllegalStateException("no pool yet: pool() is available from @BeforeEach on (or @BeforeAll for perClass())");
    }
    return scopePool;
  }

  /** Another pool of {@code sizeBytes} (at least {@link #MIN_SIZE}), destroyed when the scope ends. */
  public synchronized Pool create(long sizeBytes) {
    if (sizeBytes < MIN_SIZE) {
      throw new IllegalArgumentException("zfs-fuse needs a vdev of at least 64 MiB, got " + sizeBytes + " bytes");
    }
    ensureDaemon();
    String name = "ferrytest-" + HexFormat.of().formatHex(RANDOM.generateSeed(4));
    try {
      Path dir = Files.createTempDirectory(name + "-");
      Path file = dir.resolve("vdev");
      Path mountRoot = Files.createDirectory(dir.resolve("mnt"));
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        raf.setLength(sizeBytes);
      }
      Pool pool = new Pool(name, file, mountRoot);
      Command.run(List.of("zpool", "create", "-m", "none", name, file.toString())).orThrow();
      LIVE.add(pool);
      owned.push(pool);
      return pool;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Another pool of the default size. */
  public Pool create() {
    return create(DEFAULT_SIZE);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (perClass) {
      scopePool = create();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      scopePool = create();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      destroyOwned();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    destroyOwned();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == Pool.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return pool();
  }

  private synchronized void destroyOwned() {
    List<String> failures = new ArrayList<>();
    while (!owned.isEmpty()) {
      Pool pool = owned.pop();
      String failure = destroyQuietly(pool);
      if (!failure.isEmpty()) {
        failures.add(failure);
      }
    }
    scopePool = null;
    if (!failures.isEmpty()) {
      throw new IllegalStateException("test pools not cleanly removed: " + failures);
    }
  }

  /**
   * Destroys the pool and deletes its directory; returns why it could not, or what still used it,
   * or "" when all went well.
   */
  private static String destroyQuietly(Pool pool) {
    // A process a test left running in one of the pool's datasets is a leak to report. It must
    // also be gone before the destroy: zfs-fuse force-unmounting a filesystem that a process is
    // inside (Redis in its last fsync) wedges the daemon for everyone.
    String leaked = stopProcessesUsing(pool.mountRoot());
    String failure = destroy(pool);
    return leaked.isEmpty() ? failure : pool.name() + ": " + leaked + (failure.isEmpty() ? "" : "; " + failure);
  }

  private static String destroy(Pool pool) {
    // A dataset still busy for a moment after its process exited makes destroy fail for a moment.
    Command last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      last = Command.run(List.of("zpool", "destroy", "-f", pool.name()));
      if (last.exit() == 0 || !poolExists(pool.name())) {
        LIVE.remove(pool);
        deleteTree(pool.file().getParent());
        return "";
      }
      sleep(Duration.ofMillis(200L << attempt));
    }
    return pool.name() + ": " + last.stderr().strip();
  }

  /** SIGKILLs every process with its working directory, root or an open file under {@code root}. */
  private static String stopProcessesUsing(Path root) {
    List<ProcessHandle> users = processesUsing(root);
    if (users.isEmpty()) {
      return "";
    }
    String who = users.stream().map(p -> p.pid() + " (" + p.info().commandLine().orElse("?") + ")").toList().toString();
    users.forEach(ProcessHandle::destroyForcibly);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (users.stream().anyMatch(ProcessHandle::isAlive) && !processesUsing(root).isEmpty()
        && System.nanoTime() < deadline) {
      sleep(Duration.ofMillis(100));
    }
    return "processes still running in its datasets were killed: " + who;
  }

  private static List<ProcessHandle> processesUsing(Path root) {
    List<ProcessHandle> users = new ArrayList<>();
    try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
      proc.filter(dir -> dir.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(dir -> !dir.getFileName().toString().equals(Long.toString(ProcessHandle.current().pid())))
          .filter(dir -> uses(dir, root))
          .forEach(dir -> ProcessHandle.of(Long.parseLong(dir.getFileName().toString())).ifPresent(users::add));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list /proc", e);
    }
    return users;
  }

  /** Reads only the links /proc keeps, never the files: a stat on a wedged FUSE mount would hang. */
  private static boolean uses(Path processDir, Path root) {
    List<Path> links = new ArrayList<>(List.of(processDir.resolve("cwd"), processDir.resolve("root")));
    try (Stream<Path> fds = Files.list(processDir.resolve("fd"))) {
      fds.forEach(links::add);
    } catch (IOException | UncheckedIOException e) {
      // the process ended, or is not ours to look at
    }
    for (Path link : links) {
      try {
        if (Files.readSymbolicLink(link).startsWith(root)) {
          return true;
        }
      } catch (IOException | UnsupportedOperationException e) {
        // gone meanwhile
      }
    }
    return false;
  }

  /**
   * A zfs-fuse killed without its shutdown leaves its pidfile behind, and the next one then exits
   * at once without a word (as {@code ./ferry setup} also knows).
   */
  private static void removeStalePidFile() {
    try {
      String pid = Files.readString(PID_FILE).strip();
      boolean running = ProcessHandle.of(Long.parseLong(pid))
          .flatMap(p -> p.info().command()).filter(c -> c.endsWith("zfs-fuse")).isPresent();
      if (!running) {
        Files.deleteIfExists(PID_FILE);
      }
    } catch (IOException | NumberFormatException e) {
      // no pidfile, or nothing sensible in it: zfs-fuse will say if it cannot start
    }
  }

  private static boolean poolExists(String name) {
    return Command.run(List.of("zpool", "list", "-H", "-o", "name", name)).exit() == 0;
  }

  /** Starts zfs-fuse when {@code zpool} cannot connect to a daemon, and waits until it answers. */
  static void ensureDaemon() {
    Command probe = Command.run(List.of("zpool", "list", "-H"));
    if (probe.exit() == 0) {
      return;
    }
    if (!probe.stderr().contains("daemon") && !probe.stderr().contains("connect")) {
      throw new IllegalStateException("zpool list failed: " + probe.stderr().strip());
    }
    // zfs-fuse daemonizes; a second instance started by a concurrent build just fails on the lock.
    removeStalePidFile();
    Command.run(List.of(zfsFuseBinary(), "--pidfile", PID_FILE.toString()));
    long deadline = System.nanoTime() + DAEMON_START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Command.run(List.of("zpool", "list", "-H")).exit() == 0) {
        return;
      }
      sleep(Duration.ofMillis(200));
    }
    throw new IllegalStateException("zfs-fuse did not start within " + DAEMON_START_TIMEOUT
        + "; is the zfs-fuse package installed and are we root?");
  }

  private static String zfsFuseBinary() {
    Path sbin = Path.of("/usr/sbin/zfs-fuse");
    return Files.isExecutable(sbin) ? sbin.toString() : "zfs-fuse";
  }


  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Leaving an empty temp directory behind is harmless; the pool itself is gone.
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
