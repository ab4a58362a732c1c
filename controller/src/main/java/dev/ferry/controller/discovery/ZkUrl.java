package dev.ferry.controller.discovery;

import java.util.Arrays;

/**
 * A ZooKeeper address as Mesos and Marathon write it: {@code zk://host:port[,host:port...]/path}.
 *
 * @param connect the ensemble, as Curator takes it
 * @param path the znode under which Marathon or Mesos keeps its leader election
 */
public record ZkUrl(String connect, String path) {

  /**
   * Parses {@code text}; {@code field} names the setting in the error.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static ZkUrl parse(String text, String field) {
    String prefix = "zk://";
    if (!text.startsWith(prefix)) {
      throw new IllegalArgumentException(field + ": '" + text + "' must start with zk://, e.g. zk://zk1:2181,zk2:2181/marathon");
    }
    String rest = text.substring(prefix.length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new IllegalArgumentException(field + ": '" + text + "' needs hosts and a path, e.g. zk://zk1:2181/mesos");
    }
    String connect = rest.substring(0, slash);
    String path = rest.substring(slash).replaceAll("/+$", "");
    for (String host : connect.split(",", -1)) {
      if (!host.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
        throw new IllegalArgumentException(field + ": '" + host + "' in '" + text + "' is not host:port");
      }
    }
    if (Arrays.stream(path.split("/")).skip(1).anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException(field + ": path '" + path + "' has an empty segment");
    }
    return new ZkUrl(connect, path);
  }

  @Override
  public String toString() {
    return "zk://" + connect + path;
  }
}
