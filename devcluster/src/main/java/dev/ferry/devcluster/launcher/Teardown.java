package dev.ferry.devcluster.launcher;

import dev.ferry.api.process.Directories;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Everything {@code down} does, and {@code up} after a failed start: asks the supervisor to stop
 * the processes in order; stops whatever the state directory still names; destroys the
 * cluster's pools (only those {@code cluster.json} lists, which {@code up} created); unmounts
 * anything left under the state directory; removes the ferryctl context {@code up} added; and
 * deletes what {@code up} made in the state directory, all but {@code logs/}. Each step looks
 * before it acts, so it is safe to run twice, after a crash, or when nothing is up.
 */
final class Teardown {

  /** Time for the supervisor to stop everything in order: the scheduler alone may take a minute. */
  private static final Duration SUPERVISOR_STOP = Duration.ofMinutes(3);
  private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(10);

  private final StateDir dir;
  private final PrintStream out;

  Teardown(StateDir dir, PrintStream out) {
    this.dir = dir;
    this.out = out;
  }

  /** Tears everything down; returns what is still left (empty when nothing is). */
  List<String> run() {
    Optional<ClusterRecord> record = ClusterRecord.read(dir);
    stopSupervisor(record);
    stopLeftovers(record);
    List<String> problems = new ArrayList<>();
    record.ifPresent(r -> r.pools().forEach(pool -> {
      if (Pools.exists(pool)) {
        Pools.destroy(pool).ifPresentOrElse(problems::add, () -> say("destroyed pool " + pool));
      }
    }));
    for (Path mount : Pools.mountsUnder(dir.root())) {
      Pools.unmount(mount).ifPresentOrElse(problems::add, () -> say("unmounted " + mount));
    }
    record.filter(ClusterRecord::contextWritten).ifPresent(r -> {
      FerryctlConfig.removeContext(Path.of(r.ferryctlConfig()), r.context());
      say("removed the ferryctl context " + r.context() + " from " + r.ferryctlConfig());
    });
    problems.addAll(leftovers(record));
    if (problems.isEmpty()) {
      deleteWhatUpMade();
    }
    return problems;
  }

  private void stopSupervisor(Optional<ClusterRecord> record) {
    long pid = record.map(ClusterRecord::supervisorPid).orElse(OwnProcesses.readPid(dir.supervisorPid()));
    Optional<ProcessHandle> supervisor = OwnProcesses.find(pid, dir);
    if (supervisor.isEmpty()) {
      return;
    }
    say("stopping the cluster (supervisor pid " + pid + ")");
    try {
      Files.writeString(dir.stopRequest(), "stop\n");
    } catch (IOException e) {
      say("cannot write " + dir.stopRequest() + " (" + e.getMessage() + "); signalling the supervisor instead");
    }
    LogFollower log = new LogFollower(dir.log("supervisor"), out);
    Instant deadline = Instant.now().plus(SUPERVISOR_STOP);
    while (supervisor.get().isAlive() && Instant.now().isBefore(deadline)) {
      log.printNewLines();
      OwnProcesses.sleep(200);
    }
    log.printNewLines();
    if (supervisor.get().isAlive()) {
      say("the supervisor did not stop in " + SUPERVISOR_STOP.toSeconds() + "s; signalling it");
      OwnProcesses.stop(supervisor.get(), LEFTOVER_GRACE);
    }
  }

  private void stopLeftovers(Optional<ClusterRecord> record) {
    for (Map.Entry<String, Long> entry : recordedPids(record).entrySet()) {
      OwnProcesses.find(entry.getValue(), dir).ifPresent(process -> {
        say("stopping " + entry.getKey() + " (pid " + entry.getValue() + "), left running");
        OwnProcesses.stop(process, LEFTOVER_GRACE);
      });
    }
  }

  /** Every pid the state directory names: cluster.json's and the pid files'. */
  private Map<String, Long> recordedPids(Optional<ClusterRecord> record) {
    Map<String, Long> pids = new LinkedHashMap<>();
    record.ifPresent(r -> {
      List<ClusterRecord.Component> reversed = new ArrayList<>(r.components());
      java.util.Collections.reverse(reversed);
      reversed.stream().filter(c -> c.pid() > 0).forEach(c -> pids.put(c.name(), c.pid()));
      pids.put("supervisor", r.supervisorPid());
    });
    Path pidDir = dir.root().resolve("pids");
    if (Files.isDirectory(pidDir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(pidDir, "*.pid")) {
        for (Path file : files) {
          String name = file.getFileName().toString().replaceFirst("\\.pid$", "");
          pids.putIfAbsent(name, OwnProcesses.readPid(file));
        }
      } catch (IOException e) {
        say("cannot read " + pidDir + ": " + e.getMessage());
      }
    }
    pids.putIfAbsent("supervisor", OwnProcesses.readPid(dir.supervisorPid()));
    return pids;
  }

  /** What is still there after tearing down: processes, pools, mounts. */
  List<String> leftovers(Optional<ClusterRecord> record) {
    List<String> left = new ArrayList<>();
    recordedPids(record).forEach((name, pid) -> {
      if (OwnProcesses.alive(pid, dir)) {
        left.add(name + " (pid " + pid + ") still runs");
      }
    });
    record.ifPresent(r -> r.pools().stream().filter(Pools::exists).forEach(p -> left.add("pool " + p + " still exists")));
    Pools.mountsUnder(dir.root()).forEach(m -> left.add(m + " is still mounted"));
    return left;
  }

  private void deleteWhatUpMade() {
    if (!Files.isDirectory(dir.root())) {
      return;
    }
    try (Stream<Path> top = Files.list(dir.root())) {
      for (Path path : top.filter(dir::isOwnEntry).toList()) {
        deleteTree(path);
      }
    } catch (IOException e) {
      say("cannot clean " + dir.root() + ": " + e.getMessage());
    }
  }

  private static void deleteTree(Path root) {
    // Files.walk does not follow symbolic links, so nothing outside the state directory is touched.
    Directories.delete(root);
  }

  private void say(String line) {
    out.println("ferry: " + line);
    out.flush();
  }
}
