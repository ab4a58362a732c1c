package dev.ferry.devcluster.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.api.codec.Json;
import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.api.process.EtcdCommand;
import dev.ferry.api.tls.SslContexts;
import dev.ferry.api.tls.TlsFiles;
import dev.ferry.devcluster.nodes.NodeSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one place that says how each process of the cluster is started: its command line, its
 * config file, where it listens and how to tell it is up. Adjust a component's keys here and
 * nowhere else. The agent and the controller get one YAML file each ({@code --config}); their
 * environment is the launcher's own ({@code FERRY_LOG_LEVEL} passes through), plus
 * {@code FERRY_JAVA_OPTS} for the JVM's options.
 *
 * <p>Unless {@code --plain-http}, every Ferry connection is TLS with {@link ClusterCertificates}'
 * files: etcd takes only clients with a certificate of the cluster CA (the controller's, the
 * agents', admin's), the API serves HTTPS, the agents serve and call each other with mutual TLS.
 * The scheduler (a stand-in for Marathon) and ZooKeeper stay plain, as Marathon's defaults are.
 */
final class ComponentConfigs {

  private static final String DEFAULT_JAVA_OPTS = "-Xmx512m -XX:+UseSerialGC";

  private final LaunchOptions options;
  private final StateDir dir;
  private final Build build;

  ComponentConfigs(LaunchOptions options, StateDir dir) {
    this.options = options;
    this.dir = dir;
    this.build = new Build(options.home());
  }

  private boolean tls() {
    return !options.plainHttp();
  }

  String etcdEndpoint() {
    return tls() ? EtcdCommand.tlsUrl(options.etcdPort()) : EtcdCommand.url(options.etcdPort());
  }

  String schedulerUrl() {
    return "http://127.0.0.1:" + options.schedulerPort();
  }

  String controllerUrl() {
    return (tls() ? "https" : "http") + "://127.0.0.1:" + options.controllerPort();
  }

  /** The CA ferryctl's context trusts: empty with {@code --plain-http}. */
  Optional<Path> certificateAuthority() {
    return tls() ? Optional.of(dir.tls(ClusterCertificates.CONTROLLER).caFile()) : Optional.empty();
  }

  ProcessSpec etcd() {
    String client = etcdEndpoint();
    List<String> command = tls()
        ? EtcdCommand.withClientCertAuth("ferry", dir.etcdData(), options.etcdPort(), options.etcdPeerPort(),
            dir.tls(ClusterCertificates.ETCD))
        : EtcdCommand.of("ferry", dir.etcdData(), options.etcdPort(), options.etcdPeerPort());
    // etcd answers /health only to a client with a certificate: admin's.
    Readiness health = tls()
        ? Readiness.https(client + "/health", "true", () -> SslContexts.mutual(dir.tls(ClusterCertificates.ADMIN)))
        : Readiness.http(client + "/health", "true");
    return new ProcessSpec("etcd", command, Map.of(), Optional.empty(), "127.0.0.1:" + options.etcdPort(), client,
        health, Duration.ofSeconds(30), Duration.ofSeconds(10));
  }

  ProcessSpec zookeeper() {
    return new ProcessSpec("zookeeper",
        java(Build.ZOOKEEPER, List.of("--port", Integer.toString(options.zookeeperPort()),
            "--dir", dir.zookeeperData().toString())),
        Map.of(), Optional.empty(), "127.0.0.1:" + options.zookeeperPort(), "",
        Readiness.port("127.0.0.1", options.zookeeperPort()), Duration.ofSeconds(60), Duration.ofSeconds(10));
  }

  /**
   * devcluster, with the basic-authentication credentials {@link ClusterSecrets} wrote: the file's
   * path on its command line, never the secret.
   */
  ProcessSpec scheduler() {
    List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1",
        "--port", Integer.toString(options.schedulerPort()),
        "--state-dir", dir.scheduler().toString(),
        "--http_credentials_file", dir.marathonCredentials().toString()));
    for (NodeSpec node : options.nodes()) {
      args.add("--node");
      args.add(nodeArgument(node));
    }
    if (options.simulateTasks()) {
      args.add("--simulate-tasks");
    }
    String url = schedulerUrl();
    Path credentials = dir.marathonCredentials();
    // Stopping the scheduler stops its tasks, each with its own kill grace period. Its tasks
    // inherit its environment: FERRY_MARATHON_URL and the credentials file tell an app (the
    // demo's) where Marathon is and how to get in, whatever port this cluster uses.
    return new ProcessSpec("scheduler", java(Build.SCHEDULER, args),
        Map.of("FERRY_MARATHON_URL", url, MarathonCredentials.FILE_VARIABLE, credentials.toString()), Optional.empty(),
        "127.0.0.1:" + options.schedulerPort(), url,
        Readiness.http(url + "/v2/info", "marathon", () -> Optional.of(MarathonCredentials.read(credentials).authorization())),
        Duration.ofSeconds(60), Duration.ofSeconds(60));
  }

  /**
   * The agent's settings, in its YAML file of flat keys (the agent's {@code FERRY_*} variables are
   * the same keys in upper snake case, and would override these).
   */
  ProcessSpec agent(NodeSpec node) {
    String attributes = node.attributes().entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(";"));
    Path config = dir.agentConfig(node.name());
    Map<String, Object> yaml = new LinkedHashMap<>();
    yaml.put("nodeName", node.name());
    yaml.put("address", node.address());
    yaml.put("transferPort", options.agentPort());
    yaml.put("pool", options.poolOf(node));
    yaml.put("datasetRoot", dir.datasetRoot(node.name()).toString());
    yaml.put("attributes", attributes);
    yaml.put("etcdEndpoints", List.of(etcdEndpoint()));
    yaml.put("clusterKeyFile", dir.clusterKey().toString());
    yaml.put("stateDir", dir.agentState(node.name()).toString());
    if (tls()) {
      TlsFiles own = dir.tls(ClusterCertificates.agent(node));
      yaml.put("tlsCertFile", own.certFile().toString());
      yaml.put("tlsKeyFile", own.keyFile().toString());
      yaml.put("tlsCaFile", own.caFile().toString());
      yaml.put("etcdCaFile", own.caFile().toString());
      yaml.put("etcdCertFile", own.certFile().toString());
      yaml.put("etcdKeyFile", own.keyFile().toString());
    }
    String address = node.address() + ":" + options.agentPort();
    return new ProcessSpec("agent-" + node.name(), java(Build.AGENT, List.of("--config", config.toString())), Map.of(),
        Optional.of(new ProcessSpec.ConfigFile(config, yaml(yaml))), address, (tls() ? "https://" : "http://") + address,
        Readiness.port(node.address(), options.agentPort()), Duration.ofSeconds(90), Duration.ofSeconds(15));
  }

  /** The controller's settings, in its YAML file (ControllerConfig's sections). */
  ProcessSpec controller() {
    Path config = dir.controllerConfig();
    Map<String, Object> yaml = new LinkedHashMap<>();
    yaml.put("listen", Map.of("host", "127.0.0.1", "port", options.controllerPort()));
    TlsFiles own = dir.tls(ClusterCertificates.CONTROLLER);
    if (tls()) {
      yaml.put("tls", Map.of("certFile", own.certFile().toString(), "keyFile", own.keyFile().toString(),
          "caFile", own.caFile().toString()));
      yaml.put("etcd", Map.of("endpoints", List.of(etcdEndpoint()), "caFile", own.caFile().toString(),
          "certFile", own.certFile().toString(), "keyFile", own.keyFile().toString()));
    } else {
      yaml.put("etcd", Map.of("endpoints", List.of(etcdEndpoint())));
    }
    yaml.put("tokensFile", dir.tokens().toString());
    yaml.put("clusterKeyFile", dir.clusterKey().toString());
    yaml.put("marathon", Map.of("url", schedulerUrl(), "credentialsFile", dir.marathonCredentials().toString()));
    yaml.put("zookeeper", Map.of("connect", options.zookeeperConnect(), "path", "/ferry"));
    // A one-machine cluster syncs repositories on this machine (GitOpsMoveIT's, a user's demo repo).
    yaml.put("gitops", Map.of("cacheDir", config.resolveSibling("gitops").toString(), "allowFileUrls", true));
    // Tasks run on this machine, so the checkout's script is what every node's task runs.
    yaml.put("taskGuard", options.home().resolve("scripts/ferry-task-guard").toString());
    yaml.put("secretsDir", dir.appSecrets().toString());
    String url = controllerUrl();
    return new ProcessSpec("controller", java(Build.CONTROLLER, List.of("--config", config.toString())), Map.of(),
        Optional.of(new ProcessSpec.ConfigFile(config, yaml(yaml))), "127.0.0.1:" + options.controllerPort(), url,
        tls() ? Readiness.https(url + "/healthz", "", () -> SslContexts.trusting(own.caFile()))
            : Readiness.http(url + "/healthz", ""),
        Duration.ofSeconds(90), Duration.ofSeconds(15));
  }

  /** The node as devcluster's {@code --node} reads it, resources included. */
  static String nodeArgument(NodeSpec node) {
    List<String> pairs = new ArrayList<>();
    node.attributes().forEach((k, v) -> pairs.add(k + "=" + v));
    pairs.add("cpus=" + node.cpus());
    pairs.add("mem=" + node.mem());
    pairs.add("ports=" + node.ports());
    return node.name() + "=" + node.address() + ":" + String.join(",", pairs);
  }

  /**
   * {@code java ... MAIN ARGS}. {@code -Dferry.state-dir} marks the process as this cluster's,
   * so that {@code down} never signals a process that merely reused a recorded pid.
   */
  private List<String> java(Build.Main main, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String opts = System.getenv().getOrDefault("FERRY_JAVA_OPTS", DEFAULT_JAVA_OPTS);
    for (String opt : opts.trim().split("\\s+")) {
      if (!opt.isEmpty()) {
        command.add(opt);
      }
    }
    command.add("-Dferry.state-dir=" + dir.root());
    command.add("-cp");
    command.add(build.classpath(main));
    command.add(main.className());
    command.addAll(args);
    return command;
  }

  private static String yaml(Map<String, Object> values) {
    try {
      return "# Written by ./ferry up; `./ferry down` removes it.\n" + Json.yaml().writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a config file", e);
    }
  }
}
