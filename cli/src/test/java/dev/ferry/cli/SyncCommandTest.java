package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.Kind;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.controller.api.ApiFixture;
import dev.ferry.controller.api.ApiServerOptions;
import dev.ferry.controller.gitops.GitOps;
import dev.ferry.controller.gitops.GitOpsOptions;
import dev.ferry.testing.EtcdExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferryctl sync gitsource NAME} against an API server whose controller runs GitOps over a local repository. */
class SyncCommandTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  @TempDir
  Path temp;

  Git repo;
  EtcdStore store;
  GitOps gitops;
  CliFixture ferry;

  @BeforeEach
  void start() throws Exception {
    repo = Git.init().setDirectory(temp.resolve("repo").toFile()).setInitialBranch("main").call();
    var config = etcd.config().withKeyPrefix("/sync-command");
    store = EtcdStore.connect(config);
    gitops = new GitOps(temp.resolve("cache"), new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), GitOpsOptions.DEFAULTS.withFileUrls(true));
    ferry = new CliFixture(temp, ApiFixture.start(config,
        ApiServerOptions.defaults().withListen("127.0.0.1", 0).withFileGitUrls(true), gitops));
    gitops.start(store);
  }

  @AfterEach
  void stop() {
    gitops.stop();
    ferry.close();
    store.close();
    repo.close();
  }

  RevCommit commit(String path, String text) throws Exception {
    Path file = temp.resolve("repo").resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    repo.add().addFilepattern(path).call();
    return repo.commit().setMessage(path).setAuthor("test", "test@ferry.dev").setCommitter("test", "test@ferry.dev").call();
  }

  String app(String disk) {
    return """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: synced-db}
        spec:
          app: {cmd: redis-server, instances: 1}
          placement: {constraints: [[disk, LIKE, %s]]}
        """.formatted(disk);
  }

  String placement() throws Exception {
    return store.get(Kind.STATEFUL_APP, "synced-db").get().orElseThrow().spec().placement().constraints().get(0).get(2);
  }

  @Test
  void syncsAGitSourceNowAndSaysWhichCommitItApplied() throws Exception {
    RevCommit first = commit("apps/db.yaml", app("ssd"));
    Path manifest = temp.resolve("gitsource.yaml");
    Files.writeString(manifest, """
        apiVersion: ferry/v1
        kind: GitSource
        metadata: {name: config}
        spec: {url: "%s", path: apps, interval: 24h}
        """.formatted(temp.resolve("repo").toUri()));
    var applied = ferry.run("apply", "-f", manifest.toString());
    assertThat(applied.exit()).as(applied.err()).isZero();
    await().atMost(Duration.ofSeconds(60)).until(() -> store.get(Kind.STATEFUL_APP, "synced-db").get().isPresent());

    RevCommit second = commit("apps/db.yaml", app("spinning"));
    var run = ferry.run("sync", "gitsource", "config");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("gitsource/config synced: main@sha1:" + second.name() + " (Synced)\n");
    assertThat(placement()).isEqualTo("spinning");
    assertThat(first.name()).isNotEqualTo(second.name());

    var listed = ferry.run("get", "gitsources");
    assertThat(listed.out()).containsPattern("NAME +URL +REVISION +SYNC +READY +AGE\n")
        .containsPattern("config +file:\\S+ +main@sha1:" + second.name() + " +Synced +False +");

    var view = ferry.runWith(Map.of("FERRY_TOKEN", ApiFixture.VIEW), "", "sync", "gitsource", "config");
    assertThat(view.exit()).isEqualTo(1);
    assertThat(view.err()).contains("Forbidden");

    var missing = ferry.run("sync", "gitsource", "nope");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("NotFound").contains("nope");

    var wrongKind = ferry.run("sync", "statefulapp", "synced-db");
    assertThat(wrongKind.exit()).isEqualTo(1);
    assertThat(wrongKind.err()).contains("only gitsources sync");

    commit("apps/db.yaml", app("spinning").replace("cmd: redis-server", "cmd: redis-server, mem: lots"));
    var failed = ferry.run("sync", "gitsource", "config");
    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.err()).contains("gitsource/config is OutOfSync after the sync (last applied main@sha1:" + second.name())
        .contains("apps/db.yaml").contains("spec.app.mem");
  }
}
