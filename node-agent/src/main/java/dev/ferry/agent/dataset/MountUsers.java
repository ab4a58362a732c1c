package dev.ferry.agent.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
 * not running as root) cannot be seen, which is why the agent runs as root. A process in another
 * mount namespace (a container, which sees the dataset by its own path) is recognised by the
 * mount's device when the tree is a mount of its own, as a dataset's mountpoint is.
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
    Tree tree = Tree.of(root.normalize());
    Optional<Path> ownNamespace = link(PROC.resolve("self/ns/mnt"));
    List<User> users = new ArrayList<>();
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, MountUsers::isPid)) {
      for (Path process : processes) {
        boolean foreign = ownNamespace.isPresent() && link(process.resolve("ns/mnt")).map(ns -> !ns.equals(ownNamespace.get()))
            .orElse(false);
        holds(process, tree, foreign).ifPresent(holds -> users.add(new User(
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

  /**
   * The tree looked for, and its device when it is a mount of its own (a dataset's mountpoint).
   * A process in the agent's mount namespace is checked by path (a readlink, which never touches
   * the filesystem). One in another namespace (a container) sees the files by other paths, so it
   * is checked by device: a stat of each of its files, which for a FUSE filesystem asks the daemon.
   */
  private record Tree(Path path, OptionalLong mountDevice) {

    static Tree of(Path path) {
      OptionalLong own = deviceOf(path);
      boolean mount = own.isPresent() && path.getParent() != null && !deviceOf(path.getParent()).equals(own);
      return new Tree(path, mount ? own : OptionalLong.empty());
    }

    /** Whether what the /proc link {@code entry} points at is in the tree. */
    boolean holds(Path entry, boolean foreign) {
      if (foreign && mountDevice.isPresent()) {
        return deviceOf(entry).equals(mountDevice);
      }
      // Sockets and pipes read as "socket:[123]", a relative path that never matches.
      return link(entry).map(file -> file.startsWith(path)).orElse(false);
    }

    /** Whether a line of /proc/<pid>/maps ("address perms offset major:minor inode path") maps a file of the tree. */
    boolean maps(String line, boolean foreign) {
      String[] fields = line.split("\\s+", 6);
      if (fields.length < 6 || !fields[5].startsWith("/")) {
        return false;
      }
      if (foreign && mountDevice.isPresent()) {
        long dev = mountDevice.getAsLong();
        // dev_t as Linux encodes it: 12 bits of major and 20 of minor, split around the low byte.
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        return fields[3].equals(String.format("%02x:%02x", major, minor));
      }
      return Path.of(fields[5]).startsWith(path);
    }
  }

  private static boolean isPid(Path entry) {
    String name = entry.getFileName().toString();
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }

  private static Optional<String> holds(Path process, Tree tree, boolean foreign) {
    String where = foreign ? " (in its own mount namespace)" : "";
    Path cwd = process.resolve("cwd");
    if (tree.holds(cwd, foreign)) {
      return Optional.of("has its working directory at " + shown(cwd) + where);
    }
    Path root = process.resolve("root");
    if (tree.holds(root, foreign)) {
      return Optional.of("has its root at " + shown(root) + where);
    }
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
      for (Path fd : fds) {
        if (tree.holds(fd, foreign)) {
          return Optional.of("has open " + shown(fd) + where);
        }
      }
    } catch (IOException | SecurityException e) {
      // Gone while we looked, or not ours to read: nothing seen.
    }
    // A file mapped into memory stays usable after its descriptor is closed (a shared writable
    // mapping writes to it), so the process's mappings count too.
    try (Stream<String> lines = Files.lines(process.resolve("maps"))) {
      return lines.filter(line -> tree.maps(line, foreign)).findFirst()
          .map(line -> "has mapped " + line.split("\\s+", 6)[5] + where);
    } catch (IOException | UncheckedIOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** The path a /proc link shows, as the process sees it. */
  private static String shown(Path entry) {
    return link(entry).map(Path::toString).orElse("?");
  }

  private static OptionalLong deviceOf(Path path) {
    try {
      return OptionalLong.of((Long) Files.getAttribute(path, "unix:dev"));
    } catch (IOException | UnsupportedOperationException | SecurityException | IllegalArgumentException e) {
      return OptionalLong.empty();
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
