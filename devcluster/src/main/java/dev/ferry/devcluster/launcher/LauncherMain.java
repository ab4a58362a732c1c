package dev.ferry.devcluster.launcher;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./ferry up|down|status}: the one-machine cluster. {@code up} checks the prerequisites,
 * then starts a {@link Supervisor} in its own session (so that the cluster outlives the command
 * and the terminal) and shows its progress until the cluster is READY or has FAILED and been
 * cleaned up. Exit status: 0 done, 1 failed (with what to do about it), 2 bad options.
 */
public final class LauncherMain {

  private static final Duration UP_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration FAILED_STOP_TIMEOUT = Duration.ofMinutes(3);

  private final PrintStream out;

  private LauncherMain(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.print(LaunchOptions.USAGE);
      System.exit(2);
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (rest.contains("--help") || rest.contains("-h")) {
      System.out.print(LaunchOptions.USAGE);
      System.exit(0);
    }
    LaunchOptions options;
    try {
      options = LaunchOptions.parse(rest, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("ferry " + args[0] + ": " + e.getMessage());
      System.err.print(LaunchOptions.USAGE);
      System.exit(2);
      return;
    }
    LauncherMain launcher = new LauncherMain(System.out);
    int status;
    try {
      status = switch (args[0]) {
        case "up" -> launcher.up(options, rest);
        case "down" -> launcher.down(options);
        case "status" -> new StatusReport(new StateDir(options.stateDir())).print(System.out);
        case "supervise" -> new Supervisor(options, System.out).run();
        default -> {
          System.err.println("ferry: unknown launcher command '" + args[0] + "'");
          yield 2;
        }
      };
    } catch (RuntimeException e) {
      System.err.println("ferry " + args[0] + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      status = 1;
    }
    System.exit(status);
  }

  private int up(LaunchOptions options, List<String> args) {
    StateDir dir = new StateDir(options.stateDir());
    Optional<ClusterRecord> existing = ClusterRecord.read(dir);
    long recordedSupervisor = existing.map(ClusterRecord::supervisorPid).orElse(OwnProcesses.readPid(dir.supervisorPid()));
    if (OwnProcesses.alive(recordedSupervisor, dir)) {
      String phase = existing.map(ClusterRecord::phase).orElse("STARTING");
      say("the cluster in " + dir.root() + " is already " + ("READY".equals(phase) ? "up" : phase)
          + "; nothing to do (to change its options, ./ferry down first)");
      new StatusReport(dir).print(out);
      return 0;
    }
    if (existing.isPresent() || Files.exists(dir.supervisorPid())) {
      say("a cluster in " + dir.root() + " stopped without ./ferry down; cleaning up after it first");
      List<String> left = new Teardown(dir, out).run();
      if (!left.isEmpty()) {
        return failed("cannot clean up the earlier cluster", left);
      }
    }
    Optional<String> foreign = foreignEntry(dir);
    if (foreign.isPresent()) {
      return failed("cannot start the cluster; nothing was started", List.of(dir.root() + " holds " + foreign.get()
          + ", which is not Ferry's: give --state-dir (or FERRY_STATE_DIR) an empty or new directory"));
    }
    Build build = new Build(options.home());
    List<String> problems = Prerequisites.check(options, build);
    if (!problems.isEmpty()) {
      return failed("cannot start the cluster; nothing was started", problems);
    }
    clearLogs(dir);
    Process supervisor = launchSupervisor(options, args, dir);
    return follow(dir, supervisor);
  }

  private Process launchSupervisor(LaunchOptions options, List<String> args, StateDir dir) {
    List<String> command = new ArrayList<>(List.of("setsid",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-Dferry.state-dir=" + dir.root(),
        "-cp", System.getProperty("java.class.path"),
        LauncherMain.class.getName(), "supervise"));
    command.addAll(args);
    command.addAll(List.of("--state-dir", dir.root().toString()));
    // Not a ManagedProcess: the supervisor must outlive this command, which is all `up` is.
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.log("supervisor").toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      Process process = builder.start();
      OwnProcesses.writePid(dir.supervisorPid(), process.pid());
      return process;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the supervisor (" + String.join(" ", command.subList(0, 2)) + "): "
          + e.getMessage(), e);
    }
  }

  /** Shows the supervisor's progress until the cluster is READY, or FAILED and cleaned up. */
  private int follow(StateDir dir, Process supervisor) {
    LogFollower log = LogFollower.fromStart(dir.log("supervisor"), out);
    Instant deadline = Instant.now().plus(UP_TIMEOUT);
    while (true) {
      log.printNewLines();
      Optional<ClusterRecord> record = ClusterRecord.read(dir).filter(r -> r.supervisorPid() == supervisor.pid());
      String phase = record.map(ClusterRecord::phase).orElse("");
      if ("READY".equals(phase)) {
        out.println();
        new StatusReport(dir).print(out);
        out.println();
        say("the cluster is up. Try: curl " + record.get().components().stream()
            .filter(c -> c.name().equals("scheduler")).findFirst().map(c -> c.url() + "/v2/info").orElse("")
            + "   Stop it with: ./ferry down");
        return 0;
      }
      String why = null;
      if ("FAILED".equals(phase)) {
        awaitExit(supervisor, FAILED_STOP_TIMEOUT);
        why = record.get().message().lines().findFirst().orElse("the supervisor gave no reason");
      } else if (!supervisor.isAlive()) {
        why = "the supervisor exited (status " + supervisor.exitValue() + ") before the cluster was up";
      } else if (Instant.now().isAfter(deadline)) {
        why = "the cluster was not up after " + UP_TIMEOUT.toMinutes() + " minutes";
      }
      if (why != null) {
        log.printNewLines();
        List<String> left = new Teardown(dir, out).run();
        List<String> lines = new ArrayList<>(List.of(why, "the logs are in " + dir.logs()));
        lines.addAll(left);
        return failed(left.isEmpty() ? "the cluster did not start; everything it started is stopped again"
            : "the cluster did not start, and some of it is left", lines);
      }
      OwnProcesses.sleep(200);
    }
  }

  private int down(LaunchOptions options) {
    StateDir dir = new StateDir(options.stateDir());
    if (ClusterRecord.read(dir).isEmpty() && !Files.exists(dir.supervisorPid()) && !Files.isDirectory(dir.root().resolve("pids"))) {
      say("no cluster is up in " + dir.root() + "; nothing to do");
      return 0;
    }
    List<String> left = new Teardown(dir, out).run();
    if (!left.isEmpty()) {
      return failed("some of the cluster is left", left);
    }
    say("the cluster is down: no process, pool or mount of it is left (logs kept in " + dir.logs() + ")");
    return 0;
  }

  /** Something in the state directory that neither {@code up} nor its logs made, if any. */
  private static Optional<String> foreignEntry(StateDir dir) {
    if (!Files.isDirectory(dir.root())) {
      return Optional.empty();
    }
    try (java.util.stream.Stream<Path> entries = Files.list(dir.root())) {
      return entries.filter(e -> !e.equals(dir.logs()) && !dir.isOwnEntry(e))
          .map(e -> e.getFileName().toString()).sorted().findFirst();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + dir.root() + ": " + e.getMessage(), e);
    }
  }

  private static void clearLogs(StateDir dir) {
    try {
      Files.createDirectories(dir.logs());
      try (DirectoryStream<Path> logs = Files.newDirectoryStream(dir.logs(), "*.log")) {
        for (Path log : logs) {
          Files.delete(log);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare " + dir.logs() + ": " + e.getMessage(), e);
    }
  }

  private static void awaitExit(Process process, Duration timeout) {
    try {
      process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int failed(String summary, List<String> details) {
    System.err.println("ferry: " + summary + ":");
    details.forEach(d -> System.err.println("  - " + d));
    return 1;
  }

  private void say(String line) {
    out.println("ferry: " + line);
    out.flush();
  }
}
