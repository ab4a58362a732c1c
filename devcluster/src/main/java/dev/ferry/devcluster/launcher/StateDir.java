package dev.ferry.devcluster.launcher;

import dev.ferry.api.tls.ClusterCa;
import dev.ferry.api.tls.TlsFiles;
import java.nio.file.Path;

/**
 * The layout of the cluster's state directory ({@code .ferry/} by default):
 *
 * <pre>
 * cluster.json            what runs where: phase, components with pids and addresses, nodes, pools
 * supervisor.pid          the process that holds the components; pids/NAME.pid for each component
 * stop                    written by `down`: asks the supervisor to stop everything in order
 * logs/NAME.log           each process's output (kept by `down`, emptied by the next `up`)
 * etcd/                   etcd's data
 * zookeeper/              the in-process ZooKeeper's data
 * scheduler/              devcluster's apps, tasks and sandboxes
 * nodes/NODE/pool.vdev    the sparse file backing the node's pool
 * nodes/NODE/datasets/    where the node's agent mounts its datasets
 * nodes/NODE/agent.yaml   the agent's config
 * nodes/NODE/agent-state/ what the agent keeps across restarts (the used transfer ticket nonces)
 * controller/controller.yaml
 * secrets/tokens          the API tokens (token,user,role lines), mode 600
 * secrets/cluster.key     the cluster key (agents' credential, tickets, receipts), mode 600
 * secrets/marathon-credentials  user:password of the scheduler's basic authentication, mode 600
 * secrets/apps/          the controller's secretsDir: files that apps' spec.app.secrets name, mode 700
 * secrets/tls/ca.crt, ca.key     the cluster CA (unless --plain-http), mode 600
 * secrets/tls/NAME.crt, NAME.key etcd's, the controller's, agent-NODE's and admin's (a client
 *                                certificate for etcdctl and tests), mode 600
 * </pre>
 */
public record StateDir(Path root) {

  /**
   * The top-level entries {@code up} may create besides {@code logs/}: {@code down} deletes these
   * and nothing else, so a state directory given by mistake (a home directory) loses nothing else.
   */
  private static final java.util.Set<String> ENTRIES = java.util.Set.of("cluster.json", "cluster.json.tmp",
      "supervisor.pid", "stop", "pids", "etcd", "zookeeper", "scheduler", "nodes", "controller", "secrets");

  /** Whether {@code up} or its ZooKeeper made this top-level entry. */
  public boolean isOwnEntry(Path entry) {
    String name = entry.getFileName().toString();
    return ENTRIES.contains(name) || name.startsWith("zookeeper.configuration");
  }

  public Path clusterFile() {
    return root.resolve("cluster.json");
  }

  public Path supervisorPid() {
    return root.resolve("supervisor.pid");
  }

  public Path stopRequest() {
    return root.resolve("stop");
  }

  public Path pidFile(String component) {
    return root.resolve("pids").resolve(component + ".pid");
  }

  public Path logs() {
    return root.resolve("logs");
  }

  public Path log(String component) {
    return logs().resolve(component + ".log");
  }

  public Path etcdData() {
    return root.resolve("etcd");
  }

  public Path zookeeperData() {
    return root.resolve("zookeeper");
  }

  public Path scheduler() {
    return root.resolve("scheduler");
  }

  public Path node(String node) {
    return root.resolve("nodes").resolve(node);
  }

  public Path vdev(String node) {
    return node(node).resolve("pool.vdev");
  }

  public Path datasetRoot(String node) {
    return node(node).resolve("datasets");
  }

  public Path agentState(String node) {
    return node(node).resolve("agent-state");
  }

  public Path agentConfig(String node) {
    return node(node).resolve("agent.yaml");
  }

  public Path controllerConfig() {
    return root.resolve("controller").resolve("controller.yaml");
  }

  public Path tokens() {
    return root.resolve("secrets").resolve("tokens");
  }

  public Path clusterKey() {
    return root.resolve("secrets").resolve("cluster.key");
  }

  /** Where the cluster CA and the components' certificates live. */
  public Path tlsDir() {
    return root.resolve("secrets").resolve("tls");
  }

  /** The certificate, key and CA of {@code component} ({@code etcd}, {@code controller}, {@code agent-node1}, {@code admin}). */
  public TlsFiles tls(String component) {
    return new TlsFiles(tlsDir().resolve(component + ".crt"), tlsDir().resolve(component + ".key"),
        tlsDir().resolve(ClusterCa.CA_CERT));
  }

  /** The scheduler's {@code --http_credentials_file}, read by the controller and by the tasks that call Marathon. */
  /** The controller's {@code secretsDir}: what StatefulApps' {@code spec.app.secrets.NAME.source} name. */
  public Path appSecrets() {
    return root.resolve("secrets").resolve("apps");
  }

  public Path marathonCredentials() {
    return root.resolve("secrets").resolve("marathon-credentials");
  }
}
