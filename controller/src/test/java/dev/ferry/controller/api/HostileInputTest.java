package dev.ferry.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.HostileManifests;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every hostile manifest through the REST API: refused, the field named, etcd untouched. */
class HostileInputTest {

  @RegisterExtension
  static final ApiFixture api = ApiFixture.withOwnEtcd();

  static Stream<HostileManifests.Case> cases() {
    return HostileManifests.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void isRefusedNamingTheFieldAndWritesNothing(HostileManifests.Case hostile) {
    long before = api.revision();

    HttpResponse<String> refused = api.put("/apis/ferry/v1/statefulapps/target", hostile.manifest());

    assertThat(refused.statusCode()).as(refused.body()).isIn(hostile.oversized() ? new Integer[] {413} : new Integer[] {400, 422});
    assertThat(refused.body()).contains("\"reason\"").contains(hostile.mentions());
    assertThat(api.revision()).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"..%2F..%2Fetc", "a%3Brm%20-rf", "to%20do", "Todos", "a.b", "-x"})
  void aHostileNameInTheUrlIsRefused(String name) {
    long before = api.revision();

    HttpResponse<String> put = api.put("/apis/ferry/v1/statefulapps/" + name, HostileManifests.APP);
    HttpResponse<String> get = api.get("/apis/ferry/v1/statefulapps/" + name);
    HttpResponse<String> delete = api.send("DELETE", "/apis/ferry/v1/statefulapps/" + name, ApiFixture.ADMIN, null);

    assertThat(put.statusCode()).isIn(400, 404);
    assertThat(get.statusCode()).isIn(400, 404);
    assertThat(delete.statusCode()).isIn(400, 404);
    assertThat(put.body() + get.body() + delete.body()).doesNotContain("InternalError");
    assertThat(api.revision()).isEqualTo(before);
  }

  @org.junit.jupiter.api.Test
  void aGitSourceReadingTheControllersOwnDiskIsRefusedUnlessConfigured() {
    long before = api.revision();

    HttpResponse<String> refused = api.put("/apis/ferry/v1/gitsources/target", HostileManifests.GIT);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("\"field\":\"spec.url\"").contains("file:// repositories are not allowed");
    assertThat(api.revision()).isEqualTo(before);
  }

  @org.junit.jupiter.api.Test
  void credentialsInAGitUrlAreRefusedAndNotRepeated() {
    long before = api.revision();

    HttpResponse<String> refused = api.put("/apis/ferry/v1/gitsources/target",
        HostileManifests.GIT.replace("file:///srv/git/config.git", "https://alice:s3cr3t@git.example.com/cfg.git"));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("\"field\":\"spec.url\"").contains("must not hold credentials")
        .doesNotContain("s3cr3t");
    assertThat(api.revision()).isEqualTo(before);
  }
}
