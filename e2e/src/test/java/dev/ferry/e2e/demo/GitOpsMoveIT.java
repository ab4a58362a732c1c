package dev.ferry.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import dev.ferry.e2e.demo.DemoCluster.MigrationResult;
import dev.ferry.e2e.demo.DemoCluster.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed scenario the GitOps way: the TodoMVC manifests live in a git repository that a
 * GitSource watches, and the database moves to the SSD node because of a commit that changes
 * its placement; nobody runs ferryctl apply on the apps.
 */
class GitOpsMoveIT {

  private static final List<String> TODOS = List.of("Buy milk", "Walk the dog", "Move the database to the SSD");

  private Path out;
  private DemoCluster cluster;
  private Git repo;

  @BeforeEach
  void start() throws Exception {
    out = TestOutput.directory("GitOpsMoveIT");
    repo = Git.init().setDirectory(out.resolve("repo").toFile()).setInitialBranch("main").call();
    cluster = DemoCluster.up(out);
  }

  @AfterEach
  void stop() {
    try {
      if (repo != null) {
        repo.close();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Test
  void aCommitThatChangesThePlacementMovesTheDatabaseWithItsTodos() throws Exception {
    String db = Files.readString(DemoCluster.manifest("todomvc/db.yaml"));
    commit("TodoMVC on the spinning disk", "apps/db.yaml", db, "apps/app.yaml",
        Files.readString(DemoCluster.manifest("todomvc/app.yaml")));
    Path source = out.resolve("gitsource.yaml");
    Files.writeString(source, """
        apiVersion: ferry/v1
        kind: GitSource
        metadata:
          name: todomvc
        spec:
          url: %s
          branch: main
          path: apps
          interval: 2s
        """.formatted(out.resolve("repo").toUri()));
    cluster.apply(source);

    String app = "http://" + cluster.awaitTask("/todos", Duration.ofMinutes(3), TodoApi::answers);
    assertThat(cluster.taskAddress("/todos-db")).hasValueSatisfying(a -> assertThat(a).startsWith("127.0.1.1:"));
    for (String todo : TODOS) {
      TodoApi.add(app, todo);
    }

    RevCommit move = commit("Move the todos database to the SSD node", "apps/db.yaml",
        db.replace("[disk, LIKE, spinning]", "[disk, LIKE, ssd]"));
    await("the GitSource at " + move.name()).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2))
        .until(() -> revision("todomvc").endsWith(move.name()));

    MigrationResult migration = cluster.awaitMigration("todos-db", "node2", Duration.ofMinutes(4));
    assertThat(migration.phase()).as(migration.toString()).isEqualTo("Succeeded");
    assertThat(cluster.awaitTask("/todos-db", Duration.ofMinutes(1), address -> true)).startsWith("127.0.1.2:");
    assertThat(TodoApi.titles(app)).containsExactlyElementsOf(TODOS);
  }

  /** The revision the GitSource last synced ({@code main@sha1:ID}), or empty while not Synced. */
  private String revision(String gitSource) throws IOException {
    Result got = cluster.ferryctl("get", "gitsource", gitSource, "-o", "json");
    if (got.exit() != 0) {
      return "";
    }
    JsonNode status = Json.json().readTree(got.output()).path("status");
    return status.path("sync").asText().equals("Synced") ? status.path("revision").asText() : "";
  }

  private RevCommit commit(String message, String... pathsAndTexts) throws IOException, GitAPIException {
    for (int i = 0; i < pathsAndTexts.length; i += 2) {
      Path file = out.resolve("repo").resolve(pathsAndTexts[i]);
      Files.createDirectories(file.getParent());
      Files.writeString(file, pathsAndTexts[i + 1]);
      repo.add().addFilepattern(pathsAndTexts[i]).call();
    }
    return repo.commit().setMessage(message).setAuthor("e2e", "e2e@ferry.dev").setCommitter("e2e", "e2e@ferry.dev").call();
  }
}
