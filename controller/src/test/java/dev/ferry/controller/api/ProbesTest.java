package dev.ferry.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.EtcdExtension;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The open probes with etcd gone: a status, and nothing an anonymous caller could learn from. */
class ProbesTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  ApiFixture api;

  @BeforeEach
  void start() {
    api = ApiFixture.start(etcd.config());
  }

  @AfterEach
  void stop() {
    try {
      api.close();
    } finally {
      etcd.startAgain();
    }
  }

  @Test
  void readyzIs503WithoutADetailWhenEtcdIsGone() {
    etcd.kill();

    HttpResponse<String> ready = api.send("GET", "/readyz", null, null);
    HttpResponse<String> healthy = api.send("GET", "/healthz", null, null);

    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).isEqualTo("{\"code\":503,\"reason\":\"Unavailable\",\"message\":\"not ready\",\"details\":[]}");
    assertThat(healthy.statusCode()).isEqualTo(200);
  }
}
