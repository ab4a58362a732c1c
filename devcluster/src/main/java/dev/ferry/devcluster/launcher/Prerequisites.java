package dev.ferry.devcluster.launcher;

import dev.ferry.api.process.Command;
import dev.ferry.api.process.EtcdCommand;
import dev.ferry.devcluster.nodes.NodeSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code up} checks before it starts anything, so that a missing package, a missing build
 * or a port in use is one clear message that says how to fix it, and nothing is left to undo.
 */
final class Prerequisites {

  static final Path ETCD = EtcdCommand.ETCD;
  private static final Pattern SS_USER = Pattern.compile("\\(\"([^\"]+)\",pid=(\\d+)");

  private Prerequisites() {}

  /** Every problem found; empty when {@code up} may go ahead. */
  static List<String> check(LaunchOptions options, Build build) {
    List<String> problems = new ArrayList<>();
    if (!Files.isExecutable(ETCD)) {
      problems.add(ETCD + " is missing: install Debian's etcd-server (`./ferry setup` does it)");
    }
    if (!Files.exists(Path.of("/dev/fuse"))) {
      problems.add("/dev/fuse is missing: zfs-fuse needs FUSE (load the fuse module, or give the container /dev/fuse)");
    } else if (!Pools.zfsAnswers()) {
      problems.add("zpool cannot reach zfs-fuse: install zfs-fuse and start it (`./ferry setup` does both)");
    } else {
      for (NodeSpec node : options.nodes()) {
        String pool = options.poolOf(node);
        if (Pools.exists(pool)) {
          problems.add("a pool named " + pool + " already exists and is not this cluster's: destroy it"
              + " (zpool destroy " + pool + ") if nothing needs it, or choose other names with --pool-prefix");
        }
      }
    }
    for (Build.Main main : List.of(Build.SCHEDULER, Build.ZOOKEEPER, Build.AGENT, Build.CONTROLLER)) {
      if (main == Build.SCHEDULER || main == Build.ZOOKEEPER) {
        if (!build.hasClass(main)) {
          problems.add("the " + main.module() + " module is not built (" + build.whatIsMissing(main)
              + "): run `./ferry setup`, or `mvn -B -q package -DskipTests`");
          continue;
        }
      }
      if (build.hasClass(main) && build.missingClasspath(main)) {
        problems.add(main.module() + "/target/runtime-classpath.txt is missing: run `mvn -B -q package -DskipTests`");
      }
    }
    problems.addAll(portsInUse(options, build));
    return problems;
  }

  private record Port(String host, int port, String owner, String option) {}

  private static List<String> portsInUse(LaunchOptions options, Build build) {
    List<Port> ports = new ArrayList<>();
    ports.add(new Port("127.0.0.1", options.etcdPort(), "etcd's clients", "--etcd-port"));
    ports.add(new Port("127.0.0.1", options.etcdPeerPort(), "etcd's peers", "--etcd-peer-port"));
    if (options.zookeeper().isEmpty()) {
      ports.add(new Port("127.0.0.1", options.zookeeperPort(), "ZooKeeper", "--zookeeper-port"));
    }
    ports.add(new Port("127.0.0.1", options.schedulerPort(), "the scheduler (Marathon API)", "--scheduler-port"));
    if (build.hasClass(Build.AGENT)) {
      for (NodeSpec node : options.nodes()) {
        ports.add(new Port(node.address(), options.agentPort(), "the agent of " + node.name(), "--agent-port"));
      }
    }
    if (build.hasClass(Build.CONTROLLER)) {
      ports.add(new Port("127.0.0.1", options.controllerPort(), "the controller's API", "--controller-port"));
    }
    List<String> problems = new ArrayList<>();
    Map<String, Port> seen = new HashMap<>();
    for (Port p : ports) {
      Port earlier = seen.putIfAbsent(p.host() + ":" + p.port(), p);
      if (earlier != null) {
        problems.add(p.option() + " and " + earlier.option() + " both ask for " + p.host() + ":" + p.port()
            + ": give them different ports");
      } else if (!free(p.host(), p.port())) {
        problems.add("port " + p.host() + ":" + p.port() + " for " + p.owner() + " is already in use"
            + holder(p.port()) + ": stop that process, or choose another port with " + p.option());
      }
    }
    return problems;
  }

  static boolean free(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** " (by NAME, pid N)" when {@code ss} can tell, else "". */
  private static String holder(int port) {
    Command ss = Command.run("ss", "-Hltnp", "sport = :" + port);
    Matcher m = SS_USER.matcher(ss.stdout());
    return ss.ok() && m.find() ? " (by " + m.group(1) + ", pid " + m.group(2) + ")" : "";
  }
}
