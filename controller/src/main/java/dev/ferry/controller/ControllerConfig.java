package dev.ferry.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.codec.ManifestReader;
import dev.ferry.api.marathon.MarathonCredentials;
import dev.ferry.api.store.EtcdConfig;
import dev.ferry.api.model.Kind;
import dev.ferry.api.tls.TlsFiles;
import dev.ferry.controller.admission.ObjectQuotas;
import dev.ferry.controller.api.ApiServerOptions;
import dev.ferry.controller.discovery.ZkUrl;
import dev.ferry.controller.marathon.TaskGuard;
import dev.ferry.controller.runtime.Reconcilers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The controller's configuration: a YAML file, then {@code FERRY_*} environment variables over
 * it, then defaults for one machine. Every key, with its variable:
 *
 * <pre>
 * listen: {host: 127.0.0.1, port: 7070}            FERRY_LISTEN_HOST, FERRY_LISTEN_PORT
 * tls:                                             the API over HTTPS (all three, or none: plain HTTP)
 *   certFile: /etc/ferry/tls/controller.crt        FERRY_TLS_CERT_FILE
 *   keyFile: /etc/ferry/tls/controller.key         FERRY_TLS_KEY_FILE (PKCS#8 PEM)
 *   caFile: /etc/ferry/tls/ca.crt                  FERRY_TLS_CA_FILE (the cluster CA)
 * etcd:
 *   endpoints: [http://127.0.0.1:2379]             FERRY_ETCD_ENDPOINTS (comma-separated)
 *   user: ferry                                    FERRY_ETCD_USER
 *   password: ...                                  FERRY_ETCD_PASSWORD
 *   caFile: /etc/ferry/etcd-ca.pem                 FERRY_ETCD_CA_FILE (https endpoints)
 *   certFile: ..., keyFile: ...                    FERRY_ETCD_CERT_FILE, FERRY_ETCD_KEY_FILE
 * tokensFile: /etc/ferry/tokens.csv                FERRY_TOKENS_FILE (required)
 * clusterKeyFile: /etc/ferry/cluster.key           FERRY_CLUSTER_KEY_FILE
 * marathon:
 *   url: http://127.0.0.1:8080                     FERRY_MARATHON_URL (no user:password in it)
 *   credentialsFile: /etc/ferry/marathon-credentials  FERRY_MARATHON_CREDENTIALS_FILE: one user:password
 *                                                  line, sent as basic authentication (--http_credentials)
 *   zk: zk://zk1:2181,zk2:2181/marathon            FERRY_MARATHON_ZK (the leader, found in ZooKeeper;
 *                                                  url is used until ZooKeeper names one)
 * mesos:                                           for placement by the agents' attributes in Mesos
 *   url: http://127.0.0.1:5050                     FERRY_MESOS_URL
 *   zk: zk://zk1:2181/mesos                        FERRY_MESOS_ZK (the leading master, found in ZooKeeper)
 * zookeeper: {connect: 127.0.0.1:2181, path: /ferry}  FERRY_ZK_CONNECT, FERRY_ZK_PATH
 * gitops:
 *   cacheDir: /var/lib/ferry/gitops                FERRY_GITOPS_CACHE_DIR
 *   allowFileUrls: false                           FERRY_GITOPS_ALLOW_FILE_URLS (true lets GitSources
 *                                                  read file:// repositories on this machine)
 *   credentialsDir: /etc/ferry/git                 FERRY_GITOPS_CREDENTIALS_DIR (one folder per
 *                                                  GitSource spec.secretRef.name; docs/gitops.md)
 * taskGuard: /usr/lib/ferry/ferry-task-guard       FERRY_TASK_GUARD (where ferry-task-guard is on
 *                                                  every agent; a dataset's task is launched through it)
 * secretsDir: /etc/ferry/app-secrets               FERRY_SECRETS_DIR (the files that apps' secrets name in
 *                                                  spec.app.secrets.NAME.source; none: such apps are refused)
 * migrationHistoryLimit: 10                        FERRY_MIGRATION_HISTORY_LIMIT (finished Migrations kept
 *                                                  per StatefulApp, the newest; older ones are deleted)
 * maxMigrationsPerNode: 2                          FERRY_MAX_MIGRATIONS_PER_NODE (migrations running at once
 *                                                  from one node, and to one node; more wait in Pending)
 * listMaxPage: 500                                 FERRY_LIST_MAX_PAGE (the most objects one list answer holds;
 *                                                  clients read on with ?continue=)
 * quotas:                                          how many objects of a kind users and GitOps may create
 *   statefulapps: 10000                            FERRY_QUOTA_STATEFULAPPS
 *   datasets: 10000                                FERRY_QUOTA_DATASETS
 *   migrations: 10000                              FERRY_QUOTA_MIGRATIONS
 *   gitsources: 1000                               FERRY_QUOTA_GITSOURCES
 *   nodes: 1000                                    FERRY_QUOTA_NODES
 *   events: 100000                                 FERRY_QUOTA_EVENTS
 * </pre>
 *
 * <p>Unknown keys are refused, so a typo is an error rather than a silent default.
 */
public record ControllerConfig(
    String listenHost,
    int listenPort,
    Optional<TlsFiles> tls,
    EtcdConfig etcd,
    Path tokensFile,
    Optional<Path> clusterKeyFile,
    URI marathonUrl,
    Optional<Path> marathonCredentialsFile,
    Optional<ZkUrl> marathonZk,
    Optional<URI> mesosUrl,
    Optional<ZkUrl> mesosZk,
    String zookeeperConnect,
    String zookeeperPath,
    Path gitopsCacheDir,
    boolean gitopsAllowFileUrls,
    Optional<Path> gitopsCredentialsDir,
    TaskGuard taskGuard,
    Optional<Path> secretsDir,
    int migrationHistoryLimit,
    int maxMigrationsPerNode,
    int listMaxPage,
    ObjectQuotas quotas) {

  /**
   * Reads {@code yaml} (empty for none) with {@code env} over it.
   *
   * @throws IllegalArgumentException naming the key or variable that is wrong
   */
  public static ControllerConfig parse(String yaml, Map<String, String> env) {
    ObjectNode tree = yaml.isBlank() ? Json.json().createObjectNode() : asObject(new ManifestReader().readOne(yaml));
    File file;
    try {
      file = Json.json().treeToValue(tree, File.class);
    } catch (Exception e) {
      throw new IllegalArgumentException("controller config: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    Settings s = new Settings(file, env);
    String tokens = s.get("FERRY_TOKENS_FILE", file.tokensFile()).orElseThrow(() -> new IllegalArgumentException(
        "controller config: tokensFile (or FERRY_TOKENS_FILE) is required: every API request but /healthz needs a token"));
    return new ControllerConfig(
        s.get("FERRY_LISTEN_HOST", file.listen().host()).orElse("127.0.0.1"),
        port(s.get("FERRY_LISTEN_PORT", file.listen().port()).orElse("7070")),
        tls(s, file.tls()),
        etcd(s, file.etcd()),
        Path.of(tokens),
        s.get("FERRY_CLUSTER_KEY_FILE", file.clusterKeyFile()).map(Path::of),
        httpUrl("marathon.url", s.get("FERRY_MARATHON_URL", file.marathon().url()).orElse("http://127.0.0.1:8080")),
        s.get(MarathonCredentials.FILE_VARIABLE, file.marathon().credentialsFile()).map(Path::of),
        s.get("FERRY_MARATHON_ZK", file.marathon().zk()).map(z -> ZkUrl.parse(z, "controller config: marathon.zk")),
        s.get("FERRY_MESOS_URL", file.mesos().url()).map(u -> httpUrl("mesos.url", u)),
        s.get("FERRY_MESOS_ZK", file.mesos().zk()).map(z -> ZkUrl.parse(z, "controller config: mesos.zk")),
        s.get("FERRY_ZK_CONNECT", file.zookeeper().connect()).orElse("127.0.0.1:2181"),
        s.get("FERRY_ZK_PATH", file.zookeeper().path()).orElse("/ferry"),
        Path.of(s.get("FERRY_GITOPS_CACHE_DIR", file.gitops().cacheDir()).orElse("/var/lib/ferry/gitops")),
        bool("gitops.allowFileUrls", s.get("FERRY_GITOPS_ALLOW_FILE_URLS", file.gitops().allowFileUrls()).orElse("false")),
        s.get("FERRY_GITOPS_CREDENTIALS_DIR", file.gitops().credentialsDir()).map(Path::of),
        taskGuard(s.get("FERRY_TASK_GUARD", file.taskGuard())),
        s.get("FERRY_SECRETS_DIR", file.secretsDir()).map(Path::of),
        historyLimit(s.get("FERRY_MIGRATION_HISTORY_LIMIT", file.migrationHistoryLimit())
            .orElse(Integer.toString(Reconcilers.Settings.DEFAULT_MIGRATION_HISTORY_LIMIT))),
        positive("maxMigrationsPerNode", s.get("FERRY_MAX_MIGRATIONS_PER_NODE", file.maxMigrationsPerNode())
            .orElse(Integer.toString(Reconcilers.Settings.DEFAULT_MAX_MIGRATIONS_PER_NODE))),
        positive("listMaxPage", s.get("FERRY_LIST_MAX_PAGE", file.listMaxPage())
            .orElse(Integer.toString(ApiServerOptions.DEFAULT_MAX_LIST_PAGE))),
        quotas(s, file.quotas()));
  }

  private static ObjectQuotas quotas(Settings s, Map<String, Integer> file) {
    for (String plural : file.keySet()) {
      if (Kind.ALL.stream().noneMatch(k -> k.plural().equals(plural))) {
        throw new IllegalArgumentException("controller config: quotas." + plural + " is not a kind: quotas are set for "
            + String.join(", ", Kind.ALL.stream().map(Kind::plural).toList()));
      }
    }
    ObjectQuotas quotas = ObjectQuotas.DEFAULTS;
    for (Kind<?, ?, ?> kind : Kind.ALL) {
      Optional<String> cap = s.get("FERRY_QUOTA_" + kind.plural().toUpperCase(Locale.ROOT),
          Optional.ofNullable(file.get(kind.plural())));
      if (cap.isPresent()) {
        quotas = quotas.with(kind, positive("quotas." + kind.plural(), cap.get()));
      }
    }
    return quotas;
  }

  private static int positive(String field, String text) {
    try {
      int value = Integer.parseInt(text);
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("controller config: " + field + " '" + text + "' is not a whole number of 1 or more");
  }

  private static Optional<TlsFiles> tls(Settings s, Tls file) {
    Optional<String> cert = s.get("FERRY_TLS_CERT_FILE", file.certFile());
    Optional<String> key = s.get("FERRY_TLS_KEY_FILE", file.keyFile());
    Optional<String> ca = s.get("FERRY_TLS_CA_FILE", file.caFile());
    if (cert.isEmpty() && key.isEmpty() && ca.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new TlsFiles(readable("tls.certFile", cert), readable("tls.keyFile", key),
        readable("tls.caFile", ca)));
  }

  private static Path readable(String field, Optional<String> path) {
    if (path.isEmpty()) {
      throw new IllegalArgumentException("controller config: " + field
          + " is missing: tls needs certFile, keyFile and caFile together");
    }
    Path file = Path.of(path.get());
    if (!Files.isReadable(file) || Files.isDirectory(file)) {
      throw new IllegalArgumentException("controller config: " + field + ": no readable file at " + file.toAbsolutePath());
    }
    return file;
  }

  private static EtcdConfig etcd(Settings s, Etcd file) {
    String endpoints = s.get("FERRY_ETCD_ENDPOINTS", Optional.of(String.join(",", file.endpoints())).filter(e -> !e.isEmpty()))
        .orElse("http://127.0.0.1:2379");
    EtcdConfig config = EtcdConfig.of(Arrays.stream(endpoints.split(",")).map(String::strip).toArray(String[]::new));
    Optional<String> user = s.get("FERRY_ETCD_USER", file.user());
    if (user.isPresent()) {
      config = config.withCredentials(user.get(), s.get("FERRY_ETCD_PASSWORD", file.password()).orElse(""));
    }
    Optional<String> ca = s.get("FERRY_ETCD_CA_FILE", file.caFile());
    if (ca.isPresent()) {
      EtcdConfig.Tls tls = EtcdConfig.Tls.trusting(Path.of(ca.get()));
      Optional<String> cert = s.get("FERRY_ETCD_CERT_FILE", file.certFile());
      Optional<String> key = s.get("FERRY_ETCD_KEY_FILE", file.keyFile());
      if (cert.isPresent() != key.isPresent()) {
        throw new IllegalArgumentException("controller config: etcd certFile and keyFile go together");
      }
      if (cert.isPresent()) {
        tls = tls.withClientCert(Path.of(cert.get()), Path.of(key.get()));
      }
      config = config.withTls(tls);
    }
    return config;
  }

  private static TaskGuard taskGuard(Optional<String> path) {
    try {
      return path.map(TaskGuard::new).orElse(TaskGuard.INSTALLED);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("controller config: " + e.getMessage(), e);
    }
  }

  private static URI httpUrl(String field, String text) {
    try {
      URI uri = new URI(text);
      if (uri.getRawUserInfo() != null) {
        // Never repeat the URL: it holds a secret.
        throw new IllegalArgumentException("controller config: " + field + " must not carry user:password;"
            + " give Marathon's credentials in marathon.credentialsFile (FERRY_MARATHON_CREDENTIALS_FILE)");
      }
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw new IllegalArgumentException("controller config: " + field + " '" + text
        + "' is not an http(s) URL such as http://127.0.0.1:8080");
  }

  private static boolean bool(String field, String text) {
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException("controller config: " + field + " must be true or false, not '" + text + "'");
  }

  private static int historyLimit(String text) {
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 0) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("controller config: migrationHistoryLimit '" + text
        + "' is not a whole number of 0 or more (finished Migrations kept per StatefulApp)");
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("controller config: listen port '" + text + "' is not a port number");
  }

  private static ObjectNode asObject(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("controller config: must be a mapping");
    }
    return (ObjectNode) node;
  }

  /** A value from the environment if set there, else from the file. */
  private record Settings(File file, Map<String, String> env) {
    Optional<String> get(String variable, Optional<?> fromFile) {
      return Optional.ofNullable(env.get(variable)).filter(v -> !v.isBlank())
          .or(() -> fromFile.map(Object::toString).filter(v -> !v.isBlank()));
    }
  }

  // The file's shape; absent sections read as empty ones.
  record File(Listen listen, Tls tls, Etcd etcd, Optional<String> tokensFile, Optional<String> clusterKeyFile,
      Marathon marathon, Mesos mesos, ZooKeeper zookeeper, GitOpsSection gitops, Optional<String> taskGuard,
      Optional<String> secretsDir,
      Optional<Integer> migrationHistoryLimit, Optional<Integer> maxMigrationsPerNode, Optional<Integer> listMaxPage,
      Map<String, Integer> quotas) {
    File {
      listen = listen == null ? new Listen(Optional.empty(), Optional.empty()) : listen;
      tls = tls == null ? new Tls(Optional.empty(), Optional.empty(), Optional.empty()) : tls;
      etcd = etcd == null ? new Etcd(List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()) : etcd;
      tokensFile = tokensFile == null ? Optional.empty() : tokensFile;
      clusterKeyFile = clusterKeyFile == null ? Optional.empty() : clusterKeyFile;
      marathon = marathon == null ? new Marathon(Optional.empty(), Optional.empty(), Optional.empty()) : marathon;
      mesos = mesos == null ? new Mesos(Optional.empty(), Optional.empty()) : mesos;
      zookeeper = zookeeper == null ? new ZooKeeper(Optional.empty(), Optional.empty()) : zookeeper;
      gitops = gitops == null ? new GitOpsSection(Optional.empty(), Optional.empty(), Optional.empty()) : gitops;
      taskGuard = taskGuard == null ? Optional.empty() : taskGuard;
      secretsDir = secretsDir == null ? Optional.empty() : secretsDir;
      migrationHistoryLimit = migrationHistoryLimit == null ? Optional.empty() : migrationHistoryLimit;
      maxMigrationsPerNode = maxMigrationsPerNode == null ? Optional.empty() : maxMigrationsPerNode;
      listMaxPage = listMaxPage == null ? Optional.empty() : listMaxPage;
      quotas = quotas == null ? Map.of() : Map.copyOf(quotas);
    }
  }

  record Listen(Optional<String> host, Optional<Integer> port) {}

  record Tls(Optional<String> certFile, Optional<String> keyFile, Optional<String> caFile) {}

  record Etcd(List<String> endpoints, Optional<String> user, Optional<String> password,
      Optional<String> caFile, Optional<String> certFile, Optional<String> keyFile) {
    Etcd {
      endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }
  }

  record Marathon(Optional<String> url, Optional<String> credentialsFile, Optional<String> zk) {}

  record Mesos(Optional<String> url, Optional<String> zk) {}

  record ZooKeeper(Optional<String> connect, Optional<String> path) {}

  record GitOpsSection(Optional<String> cacheDir, Optional<Boolean> allowFileUrls, Optional<String> credentialsDir) {}
}
