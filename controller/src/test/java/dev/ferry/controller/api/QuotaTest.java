package dev.ferry.controller.api;

import static dev.ferry.controller.api.ObjectApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.Kind;
import dev.ferry.controller.admission.ObjectQuotas;
import dev.ferry.testing.TestManifests;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A user who creates objects without end, to fill etcd and make every list and reconcile pass
 * slow: past its kind's quota a create is refused (403, as Kubernetes' ResourceQuota) naming
 * the kind and the cap, and nothing is written; what exists can still be changed, and a delete
 * makes room again.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QuotaTest {

  private static final int CAP = 3;
  private static final String APPS = "/apis/ferry/v1/statefulapps";

  @RegisterExtension
  static final ApiFixture api = ApiFixture.withOwnEtcd(ApiServerOptions.defaults().withListen("127.0.0.1", 0)
      .withQuotas(ObjectQuotas.DEFAULTS.with(Kind.STATEFUL_APP, CAP)));

  @Test
  void aCreatePastTheQuotaIsForbiddenNamingKindAndCapAndWritesNothing() {
    for (int i = 0; i < CAP; i++) {
      HttpResponse<String> created = api.put(APPS + "/q-" + i, TestManifests.redisApp("q-" + i, "{}", "ssd"));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }
    long before = api.revision();

    HttpResponse<String> refused = api.send("PUT", APPS + "/q-extra", ApiFixture.EDIT,
        TestManifests.redisApp("q-extra", "{}", "ssd"));
    HttpResponse<String> dryRun = api.send("PUT", APPS + "/q-extra?dryRun=true", ApiFixture.ADMIN,
        TestManifests.redisApp("q-extra", "{}", "ssd"));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(json(refused).path("reason").asText()).isEqualTo("Forbidden");
    assertThat(json(refused).path("message").asText()).startsWith("exceeded quota: statefulapps is limited to " + CAP)
        .contains("quotas.statefulapps");
    assertThat(dryRun.statusCode()).as("a dry run says the same").isEqualTo(403);
    assertThat(api.get(APPS + "/q-extra").statusCode()).isEqualTo(404);
    assertThat(api.revision()).isEqualTo(before);

    HttpResponse<String> changed = api.put(APPS + "/q-0", TestManifests.redisApp("q-0", "{changed: yes}", "ssd"));
    assertThat(changed.statusCode()).as("an update is no new object").isEqualTo(200);

    assertThat(api.send("DELETE", APPS + "/q-2", ApiFixture.ADMIN, null).statusCode()).isEqualTo(200);
    HttpResponse<String> room = api.put(APPS + "/q-extra", TestManifests.redisApp("q-extra", "{}", "ssd"));
    assertThat(room.statusCode()).as(room.body()).isEqualTo(201);
  }
}
