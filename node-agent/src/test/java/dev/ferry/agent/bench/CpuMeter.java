package dev.ferry.agent.bench;

import java.time.Duration;
import java.util.Optional;

/**
 * CPU time spent by this JVM and by the zfs-fuse daemon over one measured step: where a
 * transfer's time goes on a machine with few cores, where the daemon, the {@code zfs} commands
 * and the agent all compete for the same CPUs.
 */
final class CpuMeter {

  /** CPU seconds of the JVM and of the ZFS daemon during a step (-1 when the daemon is unknown). */
  record Cpu(double jvmSeconds, double daemonSeconds) {}

  private final Optional<ProcessHandle> daemon = ProcessHandle.allProcesses()
      .filter(p -> p.info().command().map(c -> c.endsWith("/zfs-fuse")).orElse(false)).findFirst();
  private double jvmStart;
  private double daemonStart;

  void start() {
    jvmStart = cpu(ProcessHandle.current());
    daemonStart = daemon.map(CpuMeter::cpu).orElse(0.0);
  }

  Cpu stop() {
    return new Cpu(millis(cpu(ProcessHandle.current()) - jvmStart),
        daemon.map(d -> millis(cpu(d) - daemonStart)).orElse(-1.0));
  }

  /** To the millisecond: the counters tick in hundredths anyway. */
  private static double millis(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  private static double cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
  }
}
