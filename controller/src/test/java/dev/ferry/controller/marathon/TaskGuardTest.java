package dev.ferry.controller.marathon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.process.Command;
import dev.ferry.api.process.ManagedProcess;
import dev.ferry.testing.TestData;
import dev.ferry.testing.ZfsPoolExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the real {@code scripts/ferry-task-guard} on a real zfs-fuse dataset, the way a Marathon
 * task of an app with a dataset is launched: the user's command in {@code FERRY_TASK_CMD}, the
 * dataset in {@code FERRY_DATASET_PATH} and {@code FERRY_DATASET_IDENTITY}.
 */
class TaskGuardTest {

  /** The script as checked in, as the one-machine cluster runs it. */
  static final Path GUARD = TestData.repositoryFile("scripts/ferry-task-guard");
  private static final String IDENTITY = "todos-data/3f9c2a";
  /** What the user's command does first: leave a trace in the dataset, then keep running. */
  private static final String WRITE_AND_SERVE = "echo $$ > \"$FERRY_DATASET_PATH/ran\"; exec sleep 300";

  @RegisterExtension
  static ZfsPoolExtension pools = ZfsPoolExtension.perClass();

  private Path mount;
  private String dataset;
  private Path logs;
  private final List<ManagedProcess> started = new ArrayList<>();
  private final List<Long> orphans = new ArrayList<>();

  @BeforeEach
  void createDataset() throws IOException {
    ZfsPoolExtension.Pool pool = pools.pool();
    dataset = pool.name() + "/ds" + System.nanoTime();
    mount = pool.mountRoot().resolve(dataset.substring(dataset.indexOf('/') + 1));
    Command.run("zfs", "create", "-o", "mountpoint=" + mount, dataset).orThrow();
    writeMarker(mount, IDENTITY);
    logs = Files.createTempDirectory("ferry-task-guard");
  }

  @AfterEach
  void stopEverything() throws IOException {
    orphans.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    started.forEach(p -> p.stop(Duration.ofSeconds(2)));
    Command.run("zfs", "destroy", "-r", "-f", dataset);
    dev.ferry.api.process.Directories.delete(logs);
  }

  @Test
  void anUnmountedDatasetsDirectoryIsRefusedEvenWithAMarkerInIt() throws IOException {
    Command.run("zfs", "unmount", dataset).orThrow();
    // What a task would find: the empty mountpoint directory on the root filesystem, here
    // with stray files and even a marker that names the right dataset.
    Files.createDirectories(mount);
    Files.writeString(mount.resolve("appendonly.aof"), "stray");
    writeMarker(mount, IDENTITY);

    Run run = runToEnd(Map.of("FERRY_TASK_CMD", WRITE_AND_SERVE));

    assertThat(run.exit()).as(run.output()).isEqualTo(65);
    assertThat(run.output()).contains("ferry-task-guard: " + mount + " is not a mount point");
    assertThat(mount.resolve("ran")).as("the command never ran").doesNotExist();
  }

  @Test
  void aMountWithoutAMarkerIsRefused() throws IOException {
    Files.delete(mount.resolve(".ferry/identity"));

    Run run = runToEnd(Map.of("FERRY_TASK_CMD", WRITE_AND_SERVE));

    assertThat(run.exit()).as(run.output()).isEqualTo(66);
    assertThat(run.output()).contains(".ferry/identity is missing");
    assertThat(mount.resolve("ran")).doesNotExist();
  }

  @Test
  void aMarkerOfAnotherDatasetIsRefused() throws IOException {
    writeMarker(mount, "other-data/77aa01");

    Run run = runToEnd(Map.of("FERRY_TASK_CMD", WRITE_AND_SERVE));

    assertThat(run.exit()).as(run.output()).isEqualTo(67);
    assertThat(run.output()).contains("says 'other-data/77aa01' but this task's dataset is '" + IDENTITY + "'");
    assertThat(mount.resolve("ran")).doesNotExist();
  }

  @Test
  void theCommandRunsUnderTheLockAndASecondTaskOnTheDatasetIsRefusedFast() throws Exception {
    ManagedProcess first = start(Map.of("FERRY_TASK_CMD", WRITE_AND_SERVE));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(mount.resolve("ran")));
    assertThat(Files.readString(mount.resolve("ran")).strip()).as("the guard execs the command: it is the task's process")
        .isEqualTo(Long.toString(first.pid()));
    assertThat(holdsLock(first.pid())).as("the command holds .ferry/lock").isTrue();

    long before = System.nanoTime();
    Run second = runToEnd(Map.of("FERRY_TASK_CMD", "echo second > \"$FERRY_DATASET_PATH/second\""));
    assertThat(second.exit()).as(second.output()).isEqualTo(68);
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
    assertThat(second.output()).contains("another process holds " + mount + "/.ferry/lock");
    assertThat(mount.resolve("second")).doesNotExist();

    Command.run("kill", "-9", Long.toString(first.pid())).orThrow();
    first.awaitExit(Duration.ofSeconds(10));
    Run third = runToEnd(Map.of("FERRY_TASK_CMD", "echo third > \"$FERRY_DATASET_PATH/third\""));
    assertThat(third.exit()).as("the lock is free once the task is killed: " + third.output()).isZero();
    assertThat(mount.resolve("third")).hasContent("third");
  }

  @Test
  void argsAreRunWithoutAShell() throws Exception {
    Run run = runToEnd(Map.of(), "touch", mount.resolve("a file; rm -rf x").toString());

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(mount.resolve("a file; rm -rf x")).exists();
  }

  /**
   * The lock belongs to the task's whole process tree: killing its top process while a process
   * it started still writes to the dataset does not let a second task in.
   */
  @Test
  void theLockOutlivesTheTasksTopProcessWhileAChildRuns() throws Exception {
    ManagedProcess task = start(Map.of("FERRY_TASK_CMD",
        "sleep 300 & echo $! > \"$FERRY_DATASET_PATH/child\"; wait"));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(mount.resolve("child"))
        && !Files.readString(mount.resolve("child")).isBlank());
    long child = Long.parseLong(Files.readString(mount.resolve("child")).strip());
    orphans.add(child);

    Command.run("kill", "-9", Long.toString(task.pid())).orThrow();
    task.awaitExit(Duration.ofSeconds(10));
    assertThat(Path.of("/proc/" + child)).as("the child still runs").exists();
    assertThat(holdsLock(child)).as("the child holds .ferry/lock").isTrue();
    Run second = runToEnd(Map.of("FERRY_TASK_CMD", "true"));
    assertThat(second.exit()).as(second.output()).isEqualTo(68);

    Command.run("kill", "-9", Long.toString(child)).orThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(Path.of("/proc/" + child)));
    Run third = runToEnd(Map.of("FERRY_TASK_CMD", "true"));
    assertThat(third.exit()).as(third.output()).isZero();
  }

  @Test
  void aMissingIdentityOrCommandIsRefused() throws Exception {
    Run noIdentity = runToEnd(Map.of("FERRY_DATASET_IDENTITY", "", "FERRY_TASK_CMD", "true"));
    assertThat(noIdentity.exit()).isEqualTo(64);
    assertThat(noIdentity.output()).contains("FERRY_DATASET_IDENTITY is not set");

    Run nothing = runToEnd(Map.of());
    assertThat(nothing.exit()).isEqualTo(64);
    assertThat(nothing.output()).contains("nothing to run");
  }

  // --- helpers --------------------------------------------------------------------------------

  private record Run(int exit, String output) {}

  private ManagedProcess start(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(GUARD.toString()));
    command.addAll(List.of(args));
    Map<String, String> all = new java.util.HashMap<>(Map.of(
        "FERRY_DATASET_PATH", mount.toString(), "FERRY_DATASET_IDENTITY", IDENTITY));
    all.putAll(env);
    ManagedProcess p = ManagedProcess.start("ferry-task-guard", command, all,
        logs.resolve("guard-" + started.size() + ".log"));
    started.add(p);
    return p;
  }

  private Run runToEnd(Map<String, String> env, String... args) throws IOException {
    ManagedProcess p = start(env, args);
    int exit = p.awaitExit(Duration.ofSeconds(20));
    return new Run(exit, Files.readString(p.logFile()));
  }

  /** Whether {@code pid} has the dataset's lock file open, as /proc shows it. */
  private boolean holdsLock(long pid) throws IOException {
    Path lock = mount.resolve(".ferry/lock");
    try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return fds.anyMatch(fd -> {
        try {
          return Files.readSymbolicLink(fd).equals(lock);
        } catch (IOException e) {
          return false;
        }
      });
    }
  }

  private static void writeMarker(Path mount, String identity) throws IOException {
    Files.createDirectories(mount.resolve(".ferry"));
    Files.writeString(mount.resolve(".ferry/identity"), identity + "\n");
  }
}
