package dev.ferry.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.GitSource;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.model.SyncState;
import dev.ferry.controller.admission.ObjectQuotas;
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
    gitops = new GitOps(temp.resolve("cache"), new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
        OPTIONS.withCredentialsDir(Optional.of(temp.resolve("creds"))));
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
  void anInvalidManifestIsReportedWithItsFileAndFieldAndTheOthersAreApplied() throws Exception {
    commit("bad", "apps/ok.yaml", app("bad-ok", "ssd"), "apps/bad.yaml", app("bad-db", "ssd").replace("size: 1Gi", "size: lots"),
        "apps/node.yaml", "apiVersion: ferry/v1\nkind: Node\nmetadata: {name: node7}\nspec: {hostname: node7, address: 10.0.0.7}\n");
    // An object this source applied earlier, in no file now: a broken file may have held it, so it is not pruned.
    api.store.create(new dev.ferry.api.model.GitSource(dev.ferry.api.model.ObjectMeta.named("earlier")
        .withLabels(java.util.Map.of("ferry.dev/gitsource", "broken")), new dev.ferry.api.model.GitSourceSpec(
        "https://git.example.com/x.git", "main", ".", Duration.ofHours(1), false, false))).get();
    api.put("/apis/ferry/v1/gitsources/broken", source("broken", true, false));

    await().atMost(EVENTUALLY).until(() -> !gitSource("broken").status().lastError().isEmpty());
    GitSource broken = gitSource("broken");
    assertThat(broken.status().lastError()).contains("apps/bad.yaml").contains("spec.dataset.size")
        .contains("apps/node.yaml: Node/node7: GitOps applies only the kinds users write");
    assertThat(broken.status().sync()).isEqualTo(SyncState.OutOfSync);
    assertThat(condition(broken, "Synced").reason()).isEqualTo("ApplyFailed");
    assertThat(app("bad-ok")).isPresent();
    assertThat(app("bad-db")).isEmpty();
    assertThat(api.store.get(Kind.GIT_SOURCE, "earlier").get()).isPresent();
    await().atMost(EVENTUALLY).until(() -> events("broken").stream().anyMatch(e -> e.spec().reason().equals("ApplyFailed")
        && e.spec().message().contains("apps/bad.yaml") && e.spec().message().contains("spec.dataset.size")));
  }

  @Test
  void appsPastTheQuotaAreReportedInTheStatusAndTheOthersApplied() throws Exception {
    // This test's controller allows two StatefulApps; git holds three.
    gitops.stop();
    gitops = new GitOps(temp.resolve("cache"), new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
        OPTIONS.withQuotas(ObjectQuotas.DEFAULTS.with(Kind.STATEFUL_APP, 2)));
    gitops.start(storeToClose);
    commit("three apps", "apps/a.yaml", app("quota-a", "ssd"), "apps/b.yaml", app("quota-b", "ssd"),
        "apps/c.yaml", app("quota-c", "ssd"));
    api.put("/apis/ferry/v1/gitsources/capped-apps", source("capped-apps", true, false));

    await().atMost(EVENTUALLY).until(() -> !gitSource("capped-apps").status().lastError().isEmpty());
    GitSource capped = gitSource("capped-apps");
    assertThat(capped.status().lastError()).contains("apps/c.yaml: StatefulApp/quota-c")
        .contains("exceeded quota: statefulapps is limited to 2");
    assertThat(capped.status().sync()).isEqualTo(SyncState.OutOfSync);
    assertThat(condition(capped, "Synced").reason()).isEqualTo("ApplyFailed");
    assertThat(app("quota-a")).isPresent();
    assertThat(app("quota-b")).isPresent();
    assertThat(app("quota-c")).isEmpty();
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

  String sourceAt(String name, String url, String refAndMore) {
    return """
        apiVersion: ferry/v1
        kind: GitSource
        metadata: {name: %s}
        spec: {url: "%s", path: apps, interval: 1s, prune: true, %s}
        """.formatted(name, url, refAndMore);
  }

  String placement(String name) throws Exception {
    return app(name).orElseThrow().spec().placement().constraints().get(0).get(2);
  }

  @Test
  void followsATagAndAPinnedCommitServedByGitDaemon() throws Exception {
    RevCommit first = commit("v1", "apps/db.yaml", app("tag-db", "ssd"));
    repo.tag().setName("v1").setAnnotated(true).setMessage("release 1").call();
    RevCommit second = commit("v2", "apps/db.yaml", app("tag-db", "spinning"));
    try (GitServers.GitDaemon daemon = new GitServers.GitDaemon(temp, temp.resolve("git-daemon.log"))) {
      String url = daemon.url("repo");
      api.put("/apis/ferry/v1/gitsources/tagged", sourceAt("tagged", url, "ref: {tag: v1}"));
      await().atMost(EVENTUALLY).until(() -> gitSource("tagged").status().revision().equals("tags/v1@sha1:" + first.name()));
      assertThat(placement("tag-db")).isEqualTo("ssd");
      assertThat(condition(gitSource("tagged"), "Synced").message()).contains("tags/v1@sha1:" + first.name());

      // The tag moves to the second commit: the source follows it.
      repo.tag().setName("v1").setObjectId(second).setForceUpdate(true).setAnnotated(true).setMessage("release 1, again").call();
      await().atMost(EVENTUALLY).until(() -> gitSource("tagged").status().revision().equals("tags/v1@sha1:" + second.name()));
      assertThat(placement("tag-db")).isEqualTo("spinning");

      // Pinned to the first commit, it goes back, and stays there when the branch moves on.
      api.put("/apis/ferry/v1/gitsources/tagged", sourceAt("tagged", url, "ref: {commit: " + first.name() + "}"));
      await().atMost(EVENTUALLY).until(() -> gitSource("tagged").status().revision().equals("commit@sha1:" + first.name()));
      assertThat(placement("tag-db")).isEqualTo("ssd");

      var missing = sourceAt("missing", url, "ref: {commit: " + "0".repeat(40) + "}");
      api.put("/apis/ferry/v1/gitsources/missing", missing);
      await().atMost(EVENTUALLY).until(() -> !gitSource("missing").status().lastError().isEmpty());
      assertThat(gitSource("missing").status().lastError()).contains("commit " + "0".repeat(40) + " not found");
      assertThat(condition(gitSource("missing"), "Synced").reason()).isEqualTo("FetchFailed");
      assertThat(hasEvent("missing", "SyncFailed", "not found")).isTrue();
    }
  }

  @Test
  void aManualApplyWithoutTheLabelShowsAsDriftAndSelfHealPutsItBack() throws Exception {
    RevCommit first = commit("one app", "apps/db.yaml", app("drift-db", "spinning"));
    api.put("/apis/ferry/v1/gitsources/drifty", source("drifty", true, false));
    await().atMost(EVENTUALLY).until(() -> gitSource("drifty").status().revision().equals("main@sha1:" + first.name()));

    // What a user does with ferryctl apply: the file has no owner label.
    var put = api.put("/apis/ferry/v1/statefulapps/drift-db", app("drift-db", "ssd"));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(app("drift-db").orElseThrow().metadata().labels()).containsEntry("ferry.dev/gitsource", "drifty");

    await().atMost(EVENTUALLY).until(() -> gitSource("drifty").status().drifted().contains("StatefulApp/drift-db"));
    GitSource drifted = gitSource("drifty");
    assertThat(drifted.status().lastError()).isEmpty();
    assertThat(drifted.status().sync()).isEqualTo(SyncState.OutOfSync);
    assertThat(condition(drifted, "Drifted").status()).isEqualTo("True");
    assertThat(condition(drifted, "Drifted").message()).contains("StatefulApp/drift-db");
    assertThat(condition(drifted, "Synced").reason()).isEqualTo("Drifted");
    assertThat(placement("drift-db")).isEqualTo("ssd");
    assertThat(hasEvent("drifty", "Drifted", "StatefulApp/drift-db (from apps/db.yaml)")).isTrue();

    api.put("/apis/ferry/v1/gitsources/drifty", source("drifty", true, true));
    await().atMost(EVENTUALLY).until(() -> placement("drift-db").equals("spinning"));
    await().atMost(EVENTUALLY).until(() -> gitSource("drifty").status().drifted().isEmpty()
        && gitSource("drifty").status().sync() == SyncState.Synced);

    api.put("/apis/ferry/v1/statefulapps/drift-db", app("drift-db", "ssd"));
    await().atMost(EVENTUALLY).until(() -> placement("drift-db").equals("spinning"));
    await().atMost(EVENTUALLY).until(() -> hasEvent("drifty", "SelfHealed", "StatefulApp/drift-db put back as apps/db.yaml has it"));

    // Handing the object over is said in the manifest: the label changes, and the source leaves it alone.
    api.put("/apis/ferry/v1/statefulapps/drift-db",
        app("drift-db", "ssd").replace("{name: drift-db}", "{name: drift-db, labels: {ferry.dev/gitsource: manual}}"));
    assertThat(app("drift-db").orElseThrow().metadata().labels()).containsEntry("ferry.dev/gitsource", "manual");
    await().atMost(EVENTUALLY).until(() -> gitSource("drifty").status().lastError()
        .contains("apps/db.yaml: StatefulApp/drift-db: StatefulApp/drift-db exists and is not owned by this GitSource (it belongs to GitSource manual)"));
    assertThat(placement("drift-db")).isEqualTo("ssd");
  }

  @Test
  void suspendStopsSyncingAndResumingAppliesWhatCameMeanwhile() throws Exception {
    RevCommit first = commit("one app", "apps/db.yaml", app("pause-db", "spinning"));
    api.put("/apis/ferry/v1/gitsources/paused", source("paused", true, false));
    await().atMost(EVENTUALLY).until(() -> gitSource("paused").status().revision().equals("main@sha1:" + first.name()));

    api.put("/apis/ferry/v1/gitsources/paused", source("paused", true, false).replace("selfHeal: false", "selfHeal: false, suspend: true"));
    await().atMost(EVENTUALLY).until(() -> Optional.ofNullable(dev.ferry.api.model.Conditions.find(
        gitSource("paused").status().conditions(), "Suspended")).map(c -> c.isTrue()).orElse(false));
    RevCommit second = commit("moved", "apps/db.yaml", app("pause-db", "ssd"));
    // Several intervals pass: nothing of the new commit is applied.
    await().during(Duration.ofSeconds(3)).atMost(EVENTUALLY).until(() -> placement("pause-db").equals("spinning")
        && gitSource("paused").status().revision().equals("main@sha1:" + first.name()));
    var refused = api.send("POST", "/apis/ferry/v1/gitsources/paused/sync", ApiFixture.EDIT, "");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(refused.body()).contains("spec.suspend").contains("set it to false");

    api.put("/apis/ferry/v1/gitsources/paused", source("paused", true, false));
    await().atMost(EVENTUALLY).until(() -> gitSource("paused").status().revision().equals("main@sha1:" + second.name()));
    assertThat(placement("pause-db")).isEqualTo("ssd");
    assertThat(condition(gitSource("paused"), "Suspended").status()).isEqualTo("False");
  }

  @Test
  void healthSaysWhetherWhatItAppliedIsReadyAndEventsTellEverySyncAndPrune() throws Exception {
    RevCommit first = commit("two apps", "apps/a.yaml", app("health-a", "ssd"), "apps/b.yaml", app("health-b", "ssd"));
    api.put("/apis/ferry/v1/gitsources/healthy", source("healthy", true, false));
    await().atMost(EVENTUALLY).until(() -> gitSource("healthy").status().revision().equals("main@sha1:" + first.name()));
    GitSource synced = gitSource("healthy");
    assertThat(condition(synced, "Synced").status()).isEqualTo("True");
    assertThat(condition(synced, "Synced").message()).isEqualTo("at main@sha1:" + first.name());
    assertThat(condition(synced, "Ready").status()).isEqualTo("False");
    assertThat(condition(synced, "Ready").message()).contains("StatefulApp/health-a").contains("StatefulApp/health-b");
    assertThat(hasEvent("healthy", "Synced", "applied main@sha1:" + first.name())).isTrue();

    // The StatefulApp controller is not running here: the apps' Ready conditions are set as it would.
    for (String name : java.util.List.of("health-a", "health-b")) {
      StatefulApp stored = app(name).orElseThrow();
      api.store.updateStatus(stored.withStatus(new dev.ferry.api.model.StatefulAppStatus(stored.status().observedGeneration(),
          stored.status().node(), stored.status().phase(), java.util.List.of(new dev.ferry.api.model.Condition(
              "Ready", "True", "Running", "", java.time.Instant.now(), 1)), stored.status().marathon()))).get();
    }
    await().atMost(EVENTUALLY).until(() -> condition(gitSource("healthy"), "Ready").isTrue());

    RevCommit second = commit("one app", "apps/b.yaml", null);
    await().atMost(EVENTUALLY).until(() -> gitSource("healthy").status().revision().equals("main@sha1:" + second.name()));
    assertThat(app("health-b")).isEmpty();
    assertThat(hasEvent("healthy", "Pruned", "StatefulApp/health-b deleted: it is no longer in git")).isTrue();
    assertThat(hasEvent("healthy", "Synced", "applied main@sha1:" + second.name())).isTrue();
  }

  static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

  java.net.http.HttpResponse<String> hook(String name, java.util.Map<String, String> headers, String body) throws Exception {
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.url() + "/hooks/gitsources/" + name))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return HTTP.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  void secret(String name, String key, String value) throws Exception {
    Path dir = temp.resolve("creds").resolve(name);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(key), value + "\n");
  }

  @Test
  void aSignedGitHubOrGitLabWebhookSyncsAndAnUnsignedOneTriggersNothing() throws Exception {
    secret("hooks", "webhook-secret", "It's a Secret to Everybody");
    RevCommit first = commit("one app", "apps/db.yaml", app("hook-db", "spinning"));
    api.put("/apis/ferry/v1/gitsources/hooked", source("hooked", true, false)
        .replace("interval: 1s", "interval: 24h, secretRef: {name: hooks}"));
    await().atMost(EVENTUALLY).until(() -> gitSource("hooked").status().revision().equals("main@sha1:" + first.name()));

    RevCommit second = commit("moved", "apps/db.yaml", app("hook-db", "ssd"));
    String payload = "{\"ref\":\"refs/heads/main\",\"after\":\"" + second.name() + "\"}";
    String good = WebhookSignature.github("It's a Secret to Everybody", payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (var headers : java.util.List.of(
        java.util.Map.<String, String>of(),
        java.util.Map.of("X-Hub-Signature-256", WebhookSignature.github("wrong", payload.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
        java.util.Map.of("X-Hub-Signature-256", "sha256=zz"),
        java.util.Map.of("X-Hub-Signature-256", good.replace("sha256=", "sha1=")),
        java.util.Map.of("X-Gitlab-Token", "It's a Secret to Everybod"))) {
      var refused = hook("hooked", headers, payload);
      assertThat(refused.statusCode()).as(headers + " " + refused.body()).isEqualTo(401);
      assertThat(refused.body()).contains("not signed with this GitSource's webhook secret");
    }
    // Signed, but for another body: the signature covers the raw body.
    assertThat(hook("hooked", java.util.Map.of("X-Hub-Signature-256", good), payload + " ").statusCode()).isEqualTo(401);
    assertThat(hook("nosuch", java.util.Map.of("X-Hub-Signature-256", good), payload).statusCode()).isEqualTo(401);
    assertThat(hook("Not%0Aa%20name", java.util.Map.of("X-Hub-Signature-256", good), payload).statusCode()).isEqualTo(401);
    assertThat(hook("hooked", java.util.Map.of("X-Hub-Signature-256", good), "x".repeat(2 * 1024 * 1024)).statusCode())
        .isEqualTo(413);
    await().during(Duration.ofSeconds(3)).atMost(EVENTUALLY).until(() -> placement("hook-db").equals("spinning"));

    var accepted = hook("hooked", java.util.Map.of("X-Hub-Signature-256", good, "X-GitHub-Event", "push"), payload);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    await().atMost(EVENTUALLY).until(() -> gitSource("hooked").status().revision().equals("main@sha1:" + second.name()));
    assertThat(placement("hook-db")).isEqualTo("ssd");

    RevCommit third = commit("back", "apps/db.yaml", app("hook-db", "spinning"));
    var gitlab = hook("hooked", java.util.Map.of("X-Gitlab-Token", "It's a Secret to Everybody", "X-Gitlab-Event", "Push Hook"), "{}");
    assertThat(gitlab.statusCode()).as(gitlab.body()).isEqualTo(202);
    await().atMost(EVENTUALLY).until(() -> gitSource("hooked").status().revision().equals("main@sha1:" + third.name()));
  }

  @Test
  void aPrivateRepositoryOverHttpIsFetchedWithTheTokenOfItsSecretWhichIsShownNowhere() throws Exception {
    String token = "ghp_" + "T0k3n".repeat(6);
    RevCommit first = commit("one app", "apps/db.yaml", app("private-db", "ssd"));
    try (GitServers.GitHttp server = new GitServers.GitHttp(temp, token)) {
      String url = server.url("repo");
      api.put("/apis/ferry/v1/gitsources/anonymous", sourceAt("anonymous", url, "ref: {branch: main}"));
      await().atMost(EVENTUALLY).until(() -> !gitSource("anonymous").status().lastError().isEmpty());
      assertThat(gitSource("anonymous").status().lastError()).contains("cannot fetch main from " + url);
      assertThat(app("private-db")).isEmpty();

      api.put("/apis/ferry/v1/gitsources/private", sourceAt("private", url, "ref: {branch: main}, secretRef: {name: wrong}"));
      await().atMost(EVENTUALLY).until(() -> !gitSource("private").status().lastError().isEmpty());
      assertThat(gitSource("private").status().lastError()).contains("spec.secretRef: no secret wrong");

      secret("deploy", "username", "x-access-token");
      secret("deploy", "password", token);
      api.put("/apis/ferry/v1/gitsources/private", sourceAt("private", url, "ref: {branch: main}, secretRef: {name: deploy}"));
      await().atMost(EVENTUALLY).until(() -> gitSource("private").status().revision().equals("main@sha1:" + first.name()));
      assertThat(app("private-db")).isPresent();

      assertThat(api.get("/apis/ferry/v1/gitsources/private").body()).doesNotContain(token).contains("\"secretRef\":{\"name\":\"deploy\"}");
      assertThat(api.get("/apis/ferry/v1/gitsources/anonymous").body()).doesNotContain(token);
      assertThat(events("private")).extracting(e -> e.spec().message()).noneMatch(m -> m.contains(token));
    }
  }

  @Test
  void aPrivateRepositoryOverSshIsFetchedWithTheKeyOfItsSecretAndAnUnknownHostIsRefused() throws Exception {
    RevCommit first = commit("one app", "apps/db.yaml", app("ssh-db", "ssd"));
    try (GitServers.Sshd sshd = new GitServers.Sshd(temp.resolve("sshd"))) {
      String url = sshd.url(temp.resolve("repo"));
      secret("ssh-unknown", "identity", Files.readString(sshd.clientKey).strip());
      api.put("/apis/ferry/v1/gitsources/unknown-host", sourceAt("unknown-host", url, "ref: {branch: main}, secretRef: {name: ssh-unknown}"));
      await().atMost(EVENTUALLY).until(() -> !gitSource("unknown-host").status().lastError().isEmpty());
      assertThat(gitSource("unknown-host").status().lastError()).contains("cannot fetch main from ssh://")
          .contains("Server key did not validate");
      assertThat(app("ssh-db")).isEmpty();

      secret("ssh-wrong-host", "identity", Files.readString(sshd.clientKey).strip());
      secret("ssh-wrong-host", "known_hosts", sshd.knownHosts.replace("[127.0.0.1]", "[127.0.0.2]"));
      api.put("/apis/ferry/v1/gitsources/wrong-host", sourceAt("wrong-host", url, "ref: {branch: main}, secretRef: {name: ssh-wrong-host}"));
      await().atMost(EVENTUALLY).until(() -> !gitSource("wrong-host").status().lastError().isEmpty());
      assertThat(gitSource("wrong-host").status().lastError()).contains("Server key did not validate");
      assertThat(app("ssh-db")).isEmpty();

      secret("ssh-deploy", "identity", Files.readString(sshd.clientKey).strip());
      secret("ssh-deploy", "known_hosts", sshd.knownHosts);
      api.put("/apis/ferry/v1/gitsources/over-ssh", sourceAt("over-ssh", url, "ref: {branch: main}, secretRef: {name: ssh-deploy}"));
      await().atMost(EVENTUALLY).until(() -> gitSource("over-ssh").status().revision().equals("main@sha1:" + first.name()));
      assertThat(app("ssh-db").orElseThrow().metadata().labels()).containsEntry("ferry.dev/gitsource", "over-ssh");
      assertThat(gitSource("unknown-host").status().revision()).isEmpty();
    }
  }

  dev.ferry.api.model.Condition condition(GitSource source, String type) {
    return Optional.ofNullable(dev.ferry.api.model.Conditions.find(source.status().conditions(), type))
        .orElseThrow(() -> new AssertionError("no condition " + type + " in " + source.status()));
  }

  java.util.List<dev.ferry.api.model.Event> events(String source) throws Exception {
    return api.store.list(Kind.EVENT, dev.ferry.api.model.LabelSelector.of(java.util.Map.of("ferry.dev/name", source)))
        .get().items();
  }

  boolean hasEvent(String source, String reason, String text) throws Exception {
    return events(source).stream().anyMatch(e -> e.spec().reason().equals(reason) && e.spec().message().contains(text));
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
