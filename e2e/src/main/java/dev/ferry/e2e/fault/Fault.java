package dev.ferry.e2e.fault;

import dev.ferry.api.process.Command;
import dev.ferry.devcluster.launcher.ClusterRecord;
import java.time.Duration;
import java.util.List;

/**
 * A fault, as a value: what it does to which process or pool. {@link #inject} does it to a
 * {@link FaultCluster} and returns what is left to undo (a filled pool to free); a fault that
 * ends by itself (a process killed and started again, frozen and resumed) is over when inject
 * returns.
 */
public sealed interface Fault {

  /** What undoes a fault's lasting effect; nothing for most. */
  @FunctionalInterface
  interface Undo extends AutoCloseable {
    Undo NOTHING = () -> {};

    @Override
    void close();
  }

  /** A short name for tables: {@code kill -9 agent-node2}. */
  String describe();

  Undo inject(FaultCluster cluster) throws Exception;

  /** No fault: a plain move, for the moves between faults and the soak. */
  record None() implements Fault {
    @Override
    public String describe() {
      return "none";
    }

    @Override
    public Undo inject(FaultCluster cluster) {
      return Undo.NOTHING;
    }
  }

  /**
   * kill -9 of {@code component} ({@link FaultCluster#LEADER} for the leading controller); after {@code downFor} it is started again as {@code ./ferry up}
   * started it (what a service manager would do), and inject returns once it answers.
   */
  record Kill(String component, Duration downFor) implements Fault {
    @Override
    public String describe() {
      return "kill -9 " + component;
    }

    @Override
    public Undo inject(FaultCluster cluster) throws InterruptedException {
      String c = cluster.resolve(component);
      cluster.kill(c);
      Thread.sleep(downFor.toMillis());
      cluster.startAgain(c);
      return Undo.NOTHING;
    }
  }

  /** SIGSTOP of {@code component} ({@link FaultCluster#LEADER} for the leading controller) for {@code frozenFor}, then SIGCONT. */
  record Freeze(String component, Duration frozenFor) implements Fault {
    @Override
    public String describe() {
      return "SIGSTOP " + component + " " + frozenFor.toSeconds() + "s";
    }

    @Override
    public Undo inject(FaultCluster cluster) throws InterruptedException {
      String c = cluster.resolve(component);
      cluster.freeze(c);
      try {
        Thread.sleep(frozenFor.toMillis());
      } finally {
        cluster.resume(c);
      }
      return Undo.NOTHING;
    }
  }

  /**
   * The pool of {@code node} full: a dataset {@code <pool>/fault-filler} reserves all the space
   * the pool has left ({@code zfs create -o reservation=}), so that a {@code zfs receive} into it
   * fails with ENOSPC as on a full disk. Undone by destroying the filler.
   */
  record PoolFull(String node) implements Fault {
    @Override
    public String describe() {
      return "pool of " + node + " full";
    }

    @Override
    public Undo inject(FaultCluster cluster) {
      String pool = pool(cluster, node);
      String filler = pool + "/fault-filler";
      long available = Long.parseLong(Command.run("zfs", "get", "-Hp", "-o", "value", "available", pool).orThrow()
          .stdout().strip());
      // The pool's own slop space makes the exact figure fail on some versions: back off a little until one holds.
      Command made = null;
      for (long reserve = available; reserve > available - (8L << 20) && reserve > 0; reserve -= 256L << 10) {
        made = Command.run("zfs", "create", "-o", "reservation=" + reserve, "-o", "canmount=off", filler);
        if (made.ok()) {
          break;
        }
      }
      if (made == null || !made.ok()) {
        throw new IllegalStateException("cannot fill pool " + pool + ": " + (made == null ? "no space" : made.failure()));
      }
      return () -> Command.run("zfs", "destroy", filler).orThrow();
    }
  }

  /**
   * The dataset's mount on {@code node} forced away under the running app ({@code zfs unmount -f},
   * as a zfs-fuse restart or a failed mount leaves it), then the app's process killed -9: the
   * scheduler starts the task again at once, on whatever is at the mountpoint then.
   */
  record UnmountUnderApp(String node, String dataset, String writerName) implements Fault {
    @Override
    public String describe() {
      return "unmount -f " + dataset + " on " + node + ", kill -9 its " + writerName;
    }

    @Override
    public Undo inject(FaultCluster cluster) {
      ClusterRecord.Node n = cluster.cluster().record().nodes().stream().filter(x -> x.name().equals(node)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no node " + node));
      List<DatasetWriters.Writer> writers = new DatasetWriters(
          java.util.Map.of(node, java.nio.file.Path.of(n.datasetRoot()).resolve(dataset)), writerName).writers();
      if (writers.isEmpty()) {
        throw new IllegalStateException("no " + writerName + " holds " + dataset + " on " + node);
      }
      Command.run("zfs", "unmount", "-f", n.pool() + "/ferry/" + dataset).orThrow();
      writers.forEach(w -> Command.run("kill", "-KILL", Long.toString(w.pid())).orThrow());
      return Undo.NOTHING;
    }
  }

  private static String pool(FaultCluster cluster, String node) {
    return cluster.cluster().record().nodes().stream().filter(n -> n.name().equals(node)).findFirst()
        .map(ClusterRecord.Node::pool).orElseThrow(() -> new IllegalArgumentException("no node " + node));
  }
}
