package dev.ferry.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.GitSource;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.model.SyncState;
import dev.ferry.controller.api.ApiFixture;
import dev.ferry.controller.api.ApiServerOptions;
import dev.ferry.testing.EtcdExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class GitOpsTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  static final Duration EVENTUALLY = Duration.ofSeconds(30);
  /** Small caps, so that a test passes them with a few files of some KiB. */
  static final GitOpsOptions OPTIONS = new GitOpsOptions(true, 64 * 1024, 160 * 1024, 4);

  @TempDir
  Path temp;

  ApiFixture api;
  GitOps gitops;
  Git repo;

  static String app(String name, String disk) {
    return """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: %s}
        spec:
          app: {cmd: redis-server, instances: 1}
          dataset: {name: %s-data, size: 1Gi, mountPath: /data}
          placement: {constraints: [[disk, LIKE, %s]]}
        """.formatted(name, name, disk);
  }

  String source(String name, boolean prune, boolean selfHeal) {
    return """
        apiVersion: ferry/v1
        kind: GitSource
        metadata: {name: %s}
        spec: {url: "%s", branch: main, path: apps, interval: 1s, prune: %s, selfHeal: %s}
        """.formatted(name, temp.resolve("repo").toUri(), prune, selfHeal);
  }

  @BeforeEach
  void start(org.junit.jupiter.api.TestInfo test) throws Exception {
    repo = Git.init().setDirectory(temp.resolve("repo").toFile()).setInitialBranch("main").call();
    var config = etcd.config().withKeyPrefix("/" + test.getTestMethod().orElseThrow().getName());
    var store = dev.ferry.api.store.EtcdStore.connect(config);
    // The repositories here are local: this controller allows file:// (it is off by default).
    gitops = new GitOps(temp.resolve("cache"), new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), OPTIONS);
    api = ApiFixture.start(config, ApiServerOptions.defaults().withListen("127.0.0.1", 0).withFileGitUrls(true), gitops);
    gitops.start(store);
    storeToClose = store;
  }

  dev.ferry.api.store.EtcdStore storeToClose;

  @AfterEach
  void stop() {
    gitops.stop();
    storeToClose.close();
    api.close();
    repo.close();
  }

  RevCommit commit(String message, String... pathsAndTexts) throws Exception {
    for (int i = 0; i < pathsAndTexts.length; i += 2) {
      Path file = temp.resolve("repo").resolve(pathsAndTexts[i]);
      if (pathsAndTexts[i + 1] == null) {
        Files.delete(file);
        repo.rm().addFilepattern(pathsAndTexts[i]).call();
      } else {
        Files.createDirectories(file.getParent());
        Files.writeString(file, pathsAndTexts[i + 1]);
        repo.add().addFilepattern(pathsAndTexts[i]).call();
      }
    }
    return repo.commit().setMessage(message).setAuthor("test", "test@ferry.dev")
        .setCommitter("test", "test@ferry.dev").call();
  }

  Optional<StatefulApp> app(String name) throws Exception {
    return api.store.get(Kind.STATEFUL_APP, name).get();
  }

  GitSource gitSource(String name) throws Exception {
    return api.store.get(Kind.GIT_SOURCE, name).get().orElseThrow();
  }

  @Test
  void appliesACommitPrunesWhatLeftAndHealsDrift() throws Exception {
    RevCommit first = commit("two apps", "apps/db.yaml", app("git-db", "spinning"), "apps/web/cache.yml", app("git-cache", "ssd"),
        "README.md", "not a manifest");
    assertThat(api.put("/apis/ferry/v1/gitsources/config", source("config", true, true)).statusCode()).isEqualTo(201);

    await().atMost(EVENTUALLY).until(() -> gitSource("config").status().revision().equals("main@sha1:" + first.name()));
    assertThat(gitSource("config").status().sync()).isEqualTo(SyncState.Synced);
    assertThat(app("git-db").orElseThrow().metadata().labels()).containsEntry("ferry.dev/gitsource", "config");
    assertThat(app("git-cache")).isPresent();

    RevCommit second = commit("drop the cache", "apps/web/cache.yml", null);
    await().atMost(EVENTUALLY).until(() -> app("git-cache").isEmpty());
    await().atMost(EVENTUALLY).until(() -> gitSource("config").status().revision().equals("main@sha1:" + second.name()));

    String edited = app("git-db", "ssd").replace("{name: git-db}", "{name: git-db, labels: {ferry.dev/gitsource: config}}");
    assertThat(api.put("/apis/ferry/v1/statefulapps/git-db", edited).headers().firstValue("Ferry-Outcome")).hasValue("configured");
    await().atMost(EVENTUALLY).until(() -> app("git-db").orElseThrow().spec().placement().constraints().get(0).get(2).equals("spinning"));
  }

  @Test
  void withoutSelfHealDriftIsReportedAndASyncRequestRepairsIt() throws Exception {
    RevCommit first = commit("one app", "apps/db.yaml", app("quiet-db", "spinning"));
    api.put("/apis/ferry/v1/gitsources/quiet", source("quiet", false, false));
    await().atMost(EVENTUALLY).until(() -> gitSource("quiet").status().revision().equals("main@sha1:" + first.name()));

    api.put("/apis/ferry/v1/statefulapps/quiet-db",
        app("quiet-db", "ssd").replace("{name: quiet-db}", "{name: quiet-db, labels: {ferry.dev/gitsource: quiet}}"));
    await().atMost(EVENTUALLY).until(() -> gitSource("quiet").status().sync() == SyncState.OutOfSync);
    assertThat(app("quiet-db").orElseThrow().spec().placement().constraints().get(0).get(2)).isEqualTo("ssd");

    var synced = api.send("POST", "/apis/ferry/v1/gitsources/quiet/sync", ApiFixture.EDIT, "");
    assertThat(synced.statusCode()).as(synced.body()).isEqualTo(200);
    assertThat(synced.body()).contains("\"sync\":\"Synced\"").contains(first.name());
    assertThat(app("quiet-db").orElseThrow().spec().placement().constraints().get(0).get(2)).isEqualTo("spinning");
  }

  @Test
  void anInvalidManifestIsReportedWithItsFileAndFieldAndAppliesNothing() throws Exception {
    commit("bad", "apps/ok.yaml", app("bad-ok", "ssd"), "apps/bad.yaml", app("bad-db", "ssd").replace("size: 1Gi", "size: lots"));
    api.put("/apis/ferry/v1/gitsources/broken", source("broken", true, false));

    await().atMost(EVENTUALLY).until(() -> !gitSource("broken").status().lastError().isEmpty());
    assertThat(gitSource("broken").status().lastError()).contains("apps/bad.yaml").contains("spec.dataset.size");
    assertThat(gitSource("broken").status().sync()).isEqualTo(SyncState.OutOfSync);
    assertThat(app("bad-ok")).isEmpty();
  }

  @Test
  void aDatasetAStatefulAppUsesIsNotPruned() throws Exception {
    // A Dataset this GitSource applied before users were refused Datasets, now used by an app.
    api.store.create(new dev.ferry.api.model.Dataset(dev.ferry.api.model.ObjectMeta.named("kept-db-data")
        .withLabels(java.util.Map.of("ferry.dev/gitsource", "keeper")), new dev.ferry.api.model.DatasetSpec(
        dev.ferry.api.model.Quantity.parse("1Gi"), "node1", "", dev.ferry.api.model.ReclaimPolicy.Retain))).get();
    commit("the app only", "apps/db.yaml", app("kept-db", "ssd"));
    api.put("/apis/ferry/v1/gitsources/keeper", source("keeper", true, true));

    await().atMost(EVENTUALLY).until(() -> !gitSource("keeper").status().lastError().isEmpty());
    assertThat(gitSource("keeper").status().lastError()).contains("Dataset \"kept-db-data\" is in use")
        .contains("StatefulApp \"kept-db\"");
    assertThat(api.store.get(Kind.DATASET, "kept-db-data").get()).isPresent();
    assertThat(app("kept-db")).isPresent();
  }

  @Test
  void anObjectItDoesNotOwnIsLeftAlone() throws Exception {
    api.put("/apis/ferry/v1/statefulapps/mine", app("mine", "ssd"));
    commit("takeover", "apps/mine.yaml", app("mine", "spinning"));
    api.put("/apis/ferry/v1/gitsources/greedy", source("greedy", true, true));

    await().atMost(EVENTUALLY).until(() -> gitSource("greedy").status().lastError().contains("not owned"));
    assertThat(app("mine").orElseThrow().spec().placement().constraints().get(0).get(2)).isEqualTo("ssd");
  }

  @Test
  void aManifestFileOverTheCapIsReportedByNameAndNothingIsApplied() throws Exception {
    commit("big", "apps/ok.yaml", app("cap-ok", "ssd"), "apps/big.yaml", app("cap-big", "ssd") + "# " + "x".repeat(100 * 1024) + "\n");
    api.put("/apis/ferry/v1/gitsources/capped", source("capped", true, false));

    await().atMost(EVENTUALLY).until(() -> !gitSource("capped").status().lastError().isEmpty());
    assertThat(gitSource("capped").status().lastError()).contains("apps/big.yaml is 1").contains("more than the 65536");
    assertThat(gitSource("capped").status().sync()).isEqualTo(SyncState.OutOfSync);
    assertThat(app("cap-ok")).isEmpty();
    assertThat(app("cap-big")).isEmpty();
  }

  @Test
  void manifestsAddingUpPastTheSyncCapAreReportedAndNothingIsApplied() throws Exception {
    String padding = "# " + "x".repeat(60 * 1024) + "\n";
    commit("many", "apps/a.yaml", app("sum-a", "ssd") + padding, "apps/b.yaml", app("sum-b", "ssd") + padding,
        "apps/c.yaml", app("sum-c", "ssd") + padding);
    api.put("/apis/ferry/v1/gitsources/summed", source("summed", true, false));

    await().atMost(EVENTUALLY).until(() -> !gitSource("summed").status().lastError().isEmpty());
    assertThat(gitSource("summed").status().lastError()).contains("add up to more than the 163840 bytes");
    assertThat(app("sum-a")).isEmpty();
  }

  @Test
  void aRepositoryThatHangsDoesNotHoldBackTheOtherSources() throws Exception {
    RevCommit first = commit("one app", "apps/db.yaml", app("quick-db", "ssd"));
    try (Tarpit tarpit = new Tarpit()) {
      api.put("/apis/ferry/v1/gitsources/stuck", source("stuck", false, false)
          .replace(temp.resolve("repo").toUri().toString(), "http://127.0.0.1:" + tarpit.port() + "/cfg.git"));
      await().atMost(EVENTUALLY).until(() -> tarpit.connections() > 0);

      api.put("/apis/ferry/v1/gitsources/quick", source("quick", false, false));

      await().atMost(Duration.ofSeconds(15))
          .until(() -> gitSource("quick").status().revision().equals("main@sha1:" + first.name()));
      assertThat(app("quick-db")).isPresent();
      assertThat(gitSource("stuck").status().revision()).isEmpty();
    }
  }

  @Test
  void credentialsInAStoredUrlAreRefusedAndNeverShown() throws Exception {
    GitSource leaky = (GitSource) dev.ferry.api.codec.Manifests.read(source("leaky", false, false)).get(0);
    api.store.create(leaky.withSpec(new dev.ferry.api.model.GitSourceSpec("https://alice:s3cr3t@127.0.0.1:1/cfg.git",
        "main", "apps", Duration.ofSeconds(1), false, false))).get();

    await().atMost(EVENTUALLY).until(() -> !gitSource("leaky").status().lastError().isEmpty());
    assertThat(gitSource("leaky").status().lastError()).contains("spec.url: must not hold credentials").doesNotContain("s3cr3t");
  }

  /** A server that accepts connections and never answers: a repository that hangs. */
  static final class Tarpit implements AutoCloseable {
    private final java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    private final java.util.List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread acceptor;

    Tarpit() throws java.io.IOException {
      acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(server.accept());
          }
        } catch (java.io.IOException closed) {
          // close() ends the loop
        }
      }, "tarpit");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    int connections() {
      return held.size();
    }

    @Override
    public void close() throws Exception {
      server.close();
      for (java.net.Socket s : held) {
        s.close();
      }
      acceptor.join(5000);
    }
  }
}
