package dev.ferry.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.testing.EtcdExtension;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An operator removes a token from the tokens file: it stops working within seconds, watches included. */
class TokenRevocationTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  static final String APPS = "/apis/ferry/v1/statefulapps";
  static final String NEW_TOKEN = "carol-token-0123456789";

  @Test
  void aTokenRemovedFromTheFileIsRefusedAndItsWatchClosedWithoutARestart() throws Exception {
    try (ApiFixture api = ApiFixture.start(etcd.config());
        WatchClient watch = WatchClient.open(api, "kind=statefulapps", ApiFixture.VIEW)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> watch.types().contains("SYNCED"));
      assertThat(api.send("GET", APPS, ApiFixture.VIEW, null).statusCode()).isEqualTo(200);
      assertThat(api.send("GET", APPS, NEW_TOKEN, null).statusCode()).isEqualTo(401);

      Files.writeString(api.tokensFile, ApiFixture.TOKENS.replace(ApiFixture.VIEW + ",bob,view\n", "")
          + NEW_TOKEN + ",carol,view\n");

      await().atMost(Duration.ofSeconds(60))
          .until(() -> api.send("GET", APPS, ApiFixture.VIEW, null).statusCode() == 401);
      assertThat(api.send("GET", APPS, ApiFixture.VIEW, null).body()).contains("bearer token is not valid");
      assertThat(api.send("GET", APPS, NEW_TOKEN, null).statusCode()).isEqualTo(200);
      assertThat(api.send("GET", APPS, ApiFixture.EDIT, null).statusCode()).isEqualTo(200);
      assertThat(watch.closed.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("4401 token revoked");
      assertThat(watch.frames.toString()).contains("no longer valid");
    }
  }
}
