package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.EtcdExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ControllerTest {

  @RegisterExtension
  static EtcdExtension etcd = new EtcdExtension();

  @TempDir
  Path temp;

  @Test
  void servesTheApiFromItsConfigAndStops() throws Exception {
    Path tokens = Files.writeString(temp.resolve("tokens.csv"), "# token,user,role\nabcdefghijklmnop0123,alice,admin\n");
    ControllerConfig config = ControllerConfig.parse("listen: {port: 0}\n", Map.of(
        "FERRY_TOKENS_FILE", tokens.toString(), "FERRY_ETCD_ENDPOINTS", etcd.endpoint(),
        "FERRY_GITOPS_CACHE_DIR", temp.resolve("cache").toString()));
    HttpClient http = HttpClient.newHttpClient();

    try (Controller controller = Controller.start(config)) {
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.apiPort() + "/readyz"))
          .header("Authorization", "Bearer abcdefghijklmnop0123").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
    }
  }
}
