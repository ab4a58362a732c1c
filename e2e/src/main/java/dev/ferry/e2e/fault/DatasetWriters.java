package dev.ferry.e2e.fault;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Who writes to a dataset, seen the way the kernel sees it: every process whose working directory
 * or an open file descriptor is under the dataset's mountpoint on any node ({@code /proc/PID/cwd}
 * and {@code /proc/PID/fd/*}). Two live database processes on the same dataset name, on one node
 * or two, are two writers: the violation every move must rule out. A process that merely holds
 * the task guard's lock (the guard execs the database, so they are one process) or a shell is not
 * a writer; only processes whose name is {@code writerName} count.
 *
 * <p>It also watches for the other way to lose data: a database started without its data. A
 * process whose environment names one of the mountpoints as its dataset
 * ({@code FERRY_DATASET_PATH}, which the controller gives every task of the app) must run on that
 * mountpoint while the node's copy of the dataset is mounted there ({@code /proc/mounts} shows
 * {@code <pool>/ferry/<name>} on it); one that runs on the bare directory, or anywhere else, is
 * {@linkplain #withoutData() without its data}.
 *
 * <p>{@link #start()} samples in a background thread until {@link #close()}, so a two-writer
 * window as short as the sampling period is seen.
 */
public final class DatasetWriters implements AutoCloseable {

  /** A process seen holding the dataset: its pid, name and the node whose mountpoint it holds. */
  public record Writer(long pid, String name, String node) {}

  /** A moment when more than one writer held the dataset. */
  public record Violation(long atMillis, List<Writer> writers) {}

  /**
   * A database process of the dataset seen running without it: its pid, the node whose
   * mountpoint its environment names, and what was wrong (the copy not mounted there, the
   * process not on it).
   */
  public record Homeless(long atMillis, long pid, String node, String why) {}

  private static final String DATASET_PATH_ENV = dev.ferry.controller.marathon.MarathonApps.ENV_DATASET_PATH;

  private static final long PERIOD_MS = 100;

  private final Map<String, Path> mounts;
  private final String writerName;
  private final List<Violation> violations = new CopyOnWriteArrayList<>();
  private final List<Homeless> homeless = new CopyOnWriteArrayList<>();
  private final Thread sampler;
  private volatile boolean stopping;

  /**
   * @param mounts each node's mountpoint of the dataset (the node's datasetRoot/NAME)
   * @param writerName the database's process name ({@code /proc/PID/comm}), e.g. redis-server
   */
  public DatasetWriters(Map<String, Path> mounts, String writerName) {
    this.mounts = new TreeMap<>(mounts);
    this.writerName = writerName;
    this.sampler = new Thread(this::sample, "dataset-writers");
    this.sampler.setDaemon(true);
  }

  public DatasetWriters start() {
    sampler.start();
    return this;
  }

  /** The live {@code writerName} processes holding the dataset now. */
  public List<Writer> writers() {
    List<Writer> found = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
        .chars().allMatch(Character::isDigit))) {
      for (Path proc : procs) {
        long pid = Long.parseLong(proc.getFileName().toString());
        Optional<String> name = read(proc.resolve("comm"));
        if (name.isEmpty() || !name.get().equals(writerName) || zombie(proc)) {
          continue;
        }
        holding(proc).ifPresent(node -> found.add(new Writer(pid, name.get(), node)));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return found;
  }

  /** Every moment seen so far with two or more writers. */
  public List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** Every database process of the dataset seen so far running without its data (see the class comment). */
  public List<Homeless> withoutData() {
    return List.copyOf(homeless);
  }

  /**
   * The live {@code writerName} processes whose environment names one of the mountpoints as their
   * dataset but that do not run on it with the copy mounted there.
   */
  public List<Homeless> homelessNow() {
    Map<Path, String> nodeOf = new java.util.HashMap<>();
    mounts.forEach((node, path) -> nodeOf.put(path, node));
    Map<String, String> mountedFrom = mountedFrom();
    List<Homeless> found = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
        .chars().allMatch(Character::isDigit))) {
      for (Path proc : procs) {
        if (!read(proc.resolve("comm")).map(writerName::equals).orElse(false) || zombie(proc)) {
          continue;
        }
        Optional<Path> datasetPath = environment(proc, DATASET_PATH_ENV).map(Path::of);
        String node = datasetPath.map(nodeOf::get).orElse(null);
        if (node == null) {
          continue; // not a task of this dataset on this cluster
        }
        Path mount = mounts.get(node);
        String expected = "/ferry/" + mount.getFileName();
        String source = mountedFrom.get(mount.toString());
        long pid = Long.parseLong(proc.getFileName().toString());
        if (source == null || !source.endsWith(expected)) {
          found.add(new Homeless(System.currentTimeMillis(), pid, node, mount + " is not a mount of the dataset ("
              + (source == null ? "nothing mounted" : source + " mounted") + ")"));
        } else if (holding(proc).isEmpty()) {
          found.add(new Homeless(System.currentTimeMillis(), pid, node, "it does not run on " + mount
              + " (cwd " + link(proc.resolve("cwd")).map(Path::toString).orElse("?") + ")"));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return found;
  }

  private void sample() {
    while (!stopping) {
      List<Writer> now = writers();
      if (now.size() > 1) {
        violations.add(new Violation(System.currentTimeMillis(), now));
      }
      homeless.addAll(homelessNow());
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The node whose mountpoint the process holds (its cwd or an open file under it), if any. */
  private Optional<String> holding(Path proc) {
    List<Path> held = new ArrayList<>();
    link(proc.resolve("cwd")).ifPresent(held::add);
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : fds) {
        link(fd).ifPresent(held::add);
      }
    } catch (IOException e) {
      // The process exited while we looked: it holds nothing.
      return Optional.empty();
    }
    for (Map.Entry<String, Path> mount : mounts.entrySet()) {
      for (Path p : held) {
        if (p.startsWith(mount.getValue())) {
          return Optional.of(mount.getKey());
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> link(Path path) {
    try {
      // A file unlinked while open reads as "PATH (deleted)": it still names where the process writes.
      return Optional.of(Path.of(Files.readSymbolicLink(path).toString().replaceFirst(" \\(deleted\\)$", "")));
    } catch (IOException | UnsupportedOperationException | java.nio.file.InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** Mountpoint to what is mounted there ({@code /proc/mounts}: source, mountpoint, ...); the last mount wins. */
  private static Map<String, String> mountedFrom() {
    Map<String, String> from = new java.util.HashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
        String[] f = line.split(" ");
        if (f.length > 2) {
          // /proc/mounts escapes spaces and the like in octal; our mountpoints have none.
          from.put(f[1], f[0]);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read /proc/mounts", e);
    }
    return from;
  }

  /** One variable of the process's environment; empty when it has none or cannot be read. */
  private static Optional<String> environment(Path proc, String name) {
    try {
      String prefix = name + "=";
      for (String entry : new String(Files.readAllBytes(proc.resolve("environ")),
          java.nio.charset.StandardCharsets.UTF_8).split("\u0000")) {
        if (entry.startsWith(prefix)) {
          return Optional.of(entry.substring(prefix.length()));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean zombie(Path proc) {
    return read(proc.resolve("stat")).map(s -> {
      int close = s.lastIndexOf(')');
      return close > 0 && s.length() > close + 2 && s.charAt(close + 2) == 'Z';
    }).orElse(true);
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    stopping = true;
    sampler.interrupt();
    try {
      sampler.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
