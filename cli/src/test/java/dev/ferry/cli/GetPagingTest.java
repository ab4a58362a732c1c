package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import dev.ferry.controller.api.ApiFixture;
import dev.ferry.controller.api.ApiServerOptions;
import dev.ferry.controller.gitops.GitSyncTrigger;
import dev.ferry.testing.EtcdExtension;
import dev.ferry.testing.TestManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ferryctl against a server whose lists hold fewer objects than there are: every command that
 * lists (get, apply --prune) reads every page, so nothing past the first page goes unseen.
 */
class GetPagingTest {

  private static final int SERVER_PAGE = 3;
  private static final int APPS = 8;

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  @TempDir
  static Path temp;

  static CliFixture ferry;

  @BeforeAll
  static void startApiWithSmallPages() throws Exception {
    ferry = new CliFixture(temp, ApiFixture.start(etcd.config(),
        ApiServerOptions.defaults().withListen("127.0.0.1", 0).withMaxListPage(SERVER_PAGE), GitSyncTrigger.NOT_RUNNING));
    Path dir = Files.createDirectories(temp.resolve("paged"));
    for (int i = 0; i < APPS; i++) {
      Files.writeString(dir.resolve(name(i) + ".yaml"), TestManifests.redisApp(name(i), "{set: paged}", "ssd"));
    }
    CliFixture.Run applied = ferry.run("apply", "-f", dir.toString());
    assertThat(applied.exit()).as(applied.err()).isZero();
  }

  @AfterAll
  static void stopApi() {
    if (ferry != null) {
      ferry.close();
    }
  }

  private static String name(int i) {
    return "paged-" + i;
  }

  private static String allNames() {
    return IntStream.range(0, APPS).mapToObj(i -> "statefulapp/" + name(i) + "\n").collect(Collectors.joining());
  }

  @Test
  void getPrintsEveryPageOfAListLargerThanTheServersPage() throws Exception {
    CliFixture.Run byDefault = ferry.run("get", "statefulapps", "-o", "name", "-l", "set=paged");
    CliFixture.Run smallChunks = ferry.run("get", "statefulapps", "-o", "name", "--chunk-size", "2");
    CliFixture.Run serverPages = ferry.run("get", "statefulapps", "-o", "name", "--chunk-size=0");
    CliFixture.Run json = ferry.run("get", "statefulapps", "-o", "json");

    assertThat(byDefault.out()).as(byDefault.err()).isEqualTo(allNames());
    assertThat(smallChunks.out()).as(smallChunks.err()).isEqualTo(allNames());
    assertThat(serverPages.out()).as(serverPages.err()).isEqualTo(allNames());
    JsonNode list = Json.json().readTree(json.out());
    assertThat(list.path("items")).hasSize(APPS);
    assertThat(list.path("metadata").has("continue")).as("one whole list").isFalse();
  }

  @Test
  void aNegativeChunkSizeIsRefusedNamingTheFlag() {
    CliFixture.Run refused = ferry.run("get", "statefulapps", "--chunk-size", "-1");

    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("--chunk-size must be 0 or more");
  }

  @Test
  void applyPruneSeesWhatIsPastTheFirstPage() throws Exception {
    // The last app by name is on the last page: pruning must find it there.
    Path dir = Files.createDirectories(temp.resolve("prune-paged"));
    for (int i = 0; i < APPS - 1; i++) {
      Files.writeString(dir.resolve(name(i) + ".yaml"), TestManifests.redisApp(name(i), "{set: paged}", "ssd"));
    }

    CliFixture.Run pruned = ferry.run("apply", "--prune", "-l", "set=paged", "-f", dir.toString());

    assertThat(pruned.out()).as(pruned.err()).contains("statefulapp/" + name(APPS - 1) + " pruned");
    assertThat(ferry.run("get", "statefulapp", name(APPS - 1)).exit()).isEqualTo(1);
    CliFixture.Run back = ferry.run("apply", "-f", temp.resolve("paged").toString());
    assertThat(back.exit()).as(back.err()).isZero();
  }
}
