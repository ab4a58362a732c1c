package dev.ferry.agent.testing;

import dev.ferry.api.process.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A separate OS process (python3) that uses a file the way a database does: it opens the file
 * for appending, writes and fsyncs a first line, then holds the descriptor until told to write
 * and fsync a second line, and reports whether that worked. Or, as {@link #inDirectory} and
 * {@link #mapping}, a process that only has its working directory somewhere or a file mapped. Stopped (with its descendants) on
 * {@link #close()}.
 */
public final class FileHolder implements AutoCloseable {

  /** Exit status of the child when the second write or its fsync was refused. */
  private static final int REFUSED = 3;

  private static final String SCRIPT = """
      import ctypes, mmap, os, sys, time
      mode, target, ready, go = sys.argv[1:5]
      libc = ctypes.CDLL(None, use_errno=True)
      if mode == "bind":
          # As a container sees its volume: the tree bind-mounted at another path, in a mount
          # namespace of its own (unshare), so the host does not see the bind.
          if libc.mount(sys.argv[5].encode(), os.path.dirname(target).encode(), None, 4096, None) != 0:
              sys.exit("bind mount failed: errno %d" % ctypes.get_errno())
          mode = "file"
      if mode == "cwd":
          os.chdir(target)
      elif mode == "map":
          fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)
          os.ftruncate(fd, 4096)
          # libc's mmap: Python's own keeps a duplicate of the descriptor open.
          libc.mmap.restype = ctypes.c_void_p
          libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
          if libc.mmap(None, 4096, mmap.PROT_READ | mmap.PROT_WRITE, mmap.MAP_SHARED, fd, 0) in (None, 2**64 - 1):
              sys.exit("mmap failed: errno %d" % ctypes.get_errno())
          os.close(fd)
      else:
          fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
          os.write(fd, b"written before the fence\\n")
          os.fsync(fd)
      open(ready, "w").close()
      while not os.path.exists(go):
          time.sleep(0.05)
      if mode != "file":
          sys.exit(0)
      try:
          os.write(fd, b"written after the fence\\n")
          os.fsync(fd)
          print("wrote and fsynced", flush=True)
      except OSError as e:
          print("refused: errno %d %s" % (e.errno, e.strerror), flush=True)
          sys.exit(3)
      """;

  /** What the child's second write did. */
  public record Outcome(boolean wrote, String report) {}

  private final ManagedProcess process;
  private final Path go;

  private FileHolder(ManagedProcess process, Path go) {
    this.process = process;
    this.go = go;
  }

  /** Starts a process holding {@code file} open for writing; returns once it has written and fsynced a first line. */
  public static FileHolder holdingOpen(Path file, Path workDir) {
    return start("file", file, workDir);
  }

  /** Starts a process that maps {@code file} (4 KiB, shared) and closes its descriptor; returns once it has. */
  public static FileHolder mapping(Path file, Path workDir) {
    return start("map", file, workDir);
  }

  /**
   * Starts a process in a mount namespace of its own where {@code tree} is bind-mounted at
   * {@code bindPoint} (an empty directory), holding {@code bindPoint/fileName} open for writing:
   * a container writing to its volume, seen on the host by a path outside the tree.
   */
  public static FileHolder holdingOpenThroughABindMount(Path tree, Path bindPoint, String fileName, Path workDir) {
    return start(List.of("unshare", "--mount", "--propagation", "private"), "bind", bindPoint.resolve(fileName), workDir,
        tree.toString());
  }

  /** Starts a process whose working directory is {@code directory}; returns once it is there. */
  public static FileHolder inDirectory(Path directory, Path workDir) {
    return start("cwd", directory, workDir);
  }

  private static FileHolder start(String mode, Path target, Path workDir) {
    return start(List.of(), mode, target, workDir);
  }

  private static FileHolder start(List<String> wrapper, String mode, Path target, Path workDir, String... more) {
    try {
      Path own = Files.createTempDirectory(workDir, "holder-");
      Path ready = own.resolve("ready");
      Path go = own.resolve("go");
      List<String> command = new ArrayList<>(wrapper);
      command.addAll(List.of("python3", "-c", SCRIPT, mode, target.toString(), ready.toString(), go.toString()));
      command.addAll(List.of(more));
      ManagedProcess process = ManagedProcess.start("holder of " + target, command, Map.of(), own.resolve("holder.log"));
      FileHolder holder = new FileHolder(process, go);
      try {
        process.awaitReady("a holder of " + target, Duration.ofSeconds(60), () -> Files.exists(ready));
      } catch (RuntimeException e) {
        holder.close();
        throw e;
      }
      return holder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long pid() {
    return process.pid();
  }

  /** Tells the child to write and fsync its second line (or just exit), and waits until it has exited. */
  public Outcome writeAndExit() {
    try {
      Files.createFile(go);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int exit = process.awaitExit(Duration.ofSeconds(60));
    try {
      String report = Files.readString(process.logFile()).strip();
      if (exit != 0 && exit != REFUSED) {
        throw new IllegalStateException("the holder failed (exit " + exit + "): " + report);
      }
      return new Outcome(exit == 0, report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
