package dev.ferry.devcluster.scheduler;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP ports some socket on the machine holds, so that placement skips them: a snapshot read
 * from {@code /proc/net/tcp} and {@code /proc/net/tcp6} on a worker (never on the event loop),
 * refreshed before each reconcile pass. Like the bind without {@code SO_REUSEADDR} it replaces,
 * it counts a port held by a socket in any state, not only a listening one: a task that binds
 * without that option fails on a port with a connection still in {@code TIME_WAIT}. Ports of the scheduler's own tasks need no
 * snapshot: placement counts those as taken from the tasks themselves. Simulated tasks bind
 * nothing, so in simulated mode nothing is read and no port counts as in use.
 */
final class PortsInUse {

  private static final Logger LOG = LoggerFactory.getLogger(PortsInUse.class);
  private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

  private final Vertx vertx;
  private final boolean probe;
  private Set<Integer> snapshot = Set.of();
  private Future<Void> refreshing;

  /** @param probe false for simulated tasks: nothing is read and {@link #snapshot()} stays empty */
  PortsInUse(Vertx vertx, boolean probe) {
    this.vertx = vertx;
    this.probe = probe;
  }

  /** The ports in use at the last refresh. Call on the scheduler's context. */
  Set<Integer> snapshot() {
    return snapshot;
  }

  /**
   * Reads the ports in use again on a worker; completes (always successfully, keeping the old
   * snapshot when the read fails) on the scheduler's context once {@link #snapshot()} is updated.
   * A refresh already under way is joined rather than doubled.
   */
  Future<Void> refresh() {
    if (!probe) {
      return Future.succeededFuture();
    }
    if (refreshing == null) {
      refreshing = vertx.executeBlocking(PortsInUse::read, false)
          .onSuccess(ports -> snapshot = ports)
          .onFailure(e -> LOG.warn("cannot read the ports in use, keeping the last ones: {}", e.toString()))
          .<Void>mapEmpty()
          .otherwiseEmpty()
          .onComplete(done -> refreshing = null);
    }
    return refreshing;
  }

  /** The local port of every TCP socket, IPv4 and IPv6, in any state. Blocking. */
  static Set<Integer> read() throws IOException {
    Set<Integer> ports = new HashSet<>();
    for (Path table : TABLES) {
      List<String> lines;
      try {
        lines = Files.readAllLines(table);
      } catch (NoSuchFileException noIpv6) {
        continue;
      }
      // "sl local_address rem_address st ...": local_address is ADDRESS:PORT in hex.
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 1) {
          int colon = fields[1].lastIndexOf(':');
          ports.add(Integer.parseInt(fields[1].substring(colon + 1), 16));
        }
      }
    }
    return Set.copyOf(ports);
  }
}
