package dev.ferry.agent.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The live processes that use a directory tree, as the kernel shows them in {@code /proc}: an
 * open file descriptor, a working directory, a root directory or a file mapped into memory at or
 * under it.
 *
 * <p>What it is for: {@code zfs set readonly=on} stops new writable opens, but zfs-fuse lets a
 * process that opened a file before keep writing and fsyncing it (proven by
 * {@code ZfsDriverTest}). A fence is only real once no process holds the copy, so the final
 * snapshot is taken only when this finds nobody, whatever the scheduler says about the task.
 *
 * <p>It reads {@code /proc} directly, not a command's output, so one scan costs a directory
 * listing per process, a {@code readlink} per descriptor and a read of its memory map. A process
 * that exits during the scan is skipped; one whose {@code /proc} entries cannot be read (an agent
 * not running as root) cannot be seen, which is why the agent runs as root. Paths are compared
 * as the kernel resolves them in the agent's mount namespace; a process in another mount
 * namespace shows its own paths and is not recognised.
 */
public final class MountUsers {

  private static final Path PROC = Path.of("/proc");

  /** One process using the tree: its pid, its command name and what it holds there. */
  public record User(long pid, String command, String holds) {
    @Override
    public String toString() {
      return "pid " + pid + " (" + command + ") " + holds;
    }
  }

  private MountUsers() {}

  /**
   * The processes that use {@code root} or anything under it, in pid order, each with the first
   * thing found there (its cwd, its root, an open file or a mapped one). Blocking.
   *
   * @param root an absolute path; compared component by component, so {@code /data/db} does not
   *     match {@code /data/db2}
   * @throws UncheckedIOException when {@code /proc} itself cannot be listed
   */
  public static List<User> of(Path root) {
    if (!root.isAbsolute()) {
      throw new IllegalArgumentException("root '" + root + "' must be an absolute path");
    }
    Path tree = root.normalize();
    List<User> users = new ArrayList<>();
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, MountUsers::isPid)) {
      for (Path process : processes) {
        holds(process, tree).ifPresent(holds -> users.add(new User(
            Long.parseLong(process.getFileName().toString()), command(process), holds)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + PROC + ": " + e.getMessage(), e);
    }
    users.sort((a, b) -> Long.compare(a.pid(), b.pid()));
    return users;
  }

  /** For messages: "pid 12 (redis-server) has open /data/db/appendonly.aof, pid 14 (...) ...". */
  public static String describe(List<User> users) {
    return users.stream().map(User::toString).collect(Collectors.joining(", "));
  }

  private static boolean isPid(Path entry) {
    String name = entry.getFileName().toString();
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }

  private static Optional<String> holds(Path process, Path tree) {
    Optional<Path> cwd = link(process.resolve("cwd"));
    if (cwd.isPresent() && cwd.get().startsWith(tree)) {
      return Optional.of("has its working directory at " + cwd.get());
    }
    Optional<Path> root = link(process.resolve("root"));
    if (root.isPresent() && root.get().startsWith(tree)) {
      return Optional.of("has its root at " + root.get());
    }
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
      for (Path fd : fds) {
        // Sockets and pipes read as "socket:[123]", a relative path that never matches.
        Optional<Path> file = link(fd);
        if (file.isPresent() && file.get().startsWith(tree)) {
          return Optional.of("has open " + file.get());
        }
      }
    } catch (IOException | SecurityException e) {
      // Gone while we looked, or not ours to read: nothing seen.
    }
    return mapped(process, tree);
  }

  /**
   * A file mapped into memory stays usable after its descriptor is closed (a shared writable
   * mapping writes to it), so the process's mappings count too: {@code /proc/<pid>/maps} lines
   * end with the mapped file's path.
   */
  private static Optional<String> mapped(Path process, Path tree) {
    try (Stream<String> lines = Files.lines(process.resolve("maps"))) {
      // "address perms offset dev inode path": only the path has a '/'; [heap] and the like have none.
      return lines.filter(line -> line.indexOf('/') >= 0)
          .map(line -> Path.of(line.substring(line.indexOf('/'))))
          .filter(file -> file.startsWith(tree))
          .findFirst()
          .map(file -> "has mapped " + file);
    } catch (IOException | UncheckedIOException | SecurityException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> link(Path link) {
    try {
      return Optional.of(Files.readSymbolicLink(link));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return Optional.empty();
    }
  }

  private static String command(Path process) {
    try {
      return Files.readString(process.resolve("comm")).strip();
    } catch (IOException e) {
      return "?";
    }
  }
}
