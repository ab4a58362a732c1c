package dev.ferry.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * devcluster's API attacked over its real HTTP server, as a web page in the user's browser or
 * another local user would: each app it tries to create would run {@code touch MARKER} as a real
 * process, so "nothing ran" is checked on disk, and "nothing changed" in the app list.
 */
class MarathonApiSecurityTest {

  private TestCluster cluster;
  private Path marker;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(DevclusterConfig.seedNodes(), false);
    marker = cluster.stateDir.resolve("pwned");
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private String app(String id) {
    return "{\"id\":\"" + id + "\",\"cmd\":\"touch " + marker + "; exec sleep 600\",\"cpus\":0.1,\"mem\":16}";
  }

  @Test
  void aCrossSiteTextPlainPostIsRefusedWith415AndRunsNothing() throws Exception {
    // What a <form enctype="text/plain"> or fetch(..., {mode: "no-cors"}) sends: no preflight needed.
    TestCluster.Answer answer = cluster.send(cluster.request("POST", "/v2/apps", app("/x"))
        .header("Content-Type", "text/plain").header("Authorization", cluster.credentials.authorization()));
    assertThat(answer.status()).isEqualTo(415);
    assertThat(answer.body().path("message").asText()).isEqualTo("Unsupported Media Type");
    TestCluster.Answer noType = cluster.send(cluster.request("PUT", "/v2/apps/x", app("/x"))
        .header("Authorization", cluster.credentials.authorization()));
    assertThat(noType.status()).as("a body without a Content-Type").isEqualTo(415);
    assertNothingCreatedOrRun();
    assertThat(cluster.call("POST", "/v2/apps", "{\"id\":\"/ok\",\"cmd\":\"sleep 1\"}").status())
        .as("the same POST as JSON works").isEqualTo(201);
    assertThat(cluster.send(cluster.request("POST", "/v2/apps/ok/restart?force=true", null)
        .header("Authorization", cluster.credentials.authorization())).status())
        .as("a POST without a body needs no Content-Type").isEqualTo(200);
  }

  @Test
  void aRequestNamingAnotherHostIsRefusedWith421() throws Exception {
    // DNS rebinding: evil.example now resolves to 127.0.0.1, the browser sends its own name.
    String reply = raw("POST /v2/apps HTTP/1.1\r\nHost: evil.example:" + cluster.cluster.port()
        + "\r\nContent-Type: application/json\r\nAuthorization: " + cluster.credentials.authorization()
        + "\r\nContent-Length: " + app("/x").getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + app("/x"));
    assertThat(reply).startsWith("HTTP/1.1 421");
    assertThat(reply).contains("does not serve Host 'evil.example'", "--server-name");
    assertThat(raw("GET /v2/apps HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"))
        .as("reads too: the page must not learn the apps").startsWith("HTTP/1.1 421");
    assertThat(raw("GET /v2/apps HTTP/1.0\r\n\r\n")).as("no Host at all").startsWith("HTTP/1.0 421");
    assertNothingCreatedOrRun();
    assertThat(raw("GET /ping HTTP/1.1\r\nHost: localhost:" + cluster.cluster.port() + "\r\nAuthorization: "
        + cluster.credentials.authorization() + "\r\nConnection: close\r\n\r\n")).as("localhost is served").startsWith("HTTP/1.1 200");
  }

  @Test
  void withoutTheRightCredentialsEverythingIs401AndNothingChanges() throws Exception {
    TestCluster.Answer none = cluster.send(cluster.request("POST", "/v2/apps", app("/x")).header("Content-Type", "application/json"));
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.raw().headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"Mesosphere\"");
    assertThat(none.body().path("message").asText()).isEqualTo("Invalid username or password.");
    String wrong = "Basic " + Base64.getEncoder().encodeToString("ferry:guess".getBytes(StandardCharsets.UTF_8));
    assertThat(cluster.send(cluster.request("PUT", "/v2/apps/x", app("/x")).header("Content-Type", "application/json")
        .header("Authorization", wrong)).status()).isEqualTo(401);
    assertThat(cluster.send(cluster.request("GET", "/v2/apps", null).header("Authorization", wrong)).status())
        .as("reads need them too, as in Marathon").isEqualTo(401);
    assertThat(cluster.send(cluster.request("GET", "/v2/events", null).header("Accept", "text/event-stream")).status())
        .isEqualTo(401);
    assertThat(cluster.send(cluster.request("GET", "/master/slaves", null)).status())
        .as("the Mesos master's read-only endpoints, as in Mesos without --authenticate_http_readonly").isEqualTo(200);
    assertNothingCreatedOrRun();
  }

  @Test
  void withTheRightCredentialsAJsonPostCreatesAndRunsTheApp() throws Exception {
    TestCluster.Answer created = cluster.send(cluster.request("POST", "/v2/apps", app("/x"))
        .header("Content-Type", "application/json; charset=utf-8").header("Authorization", cluster.credentials.authorization()));
    assertThat(created.status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(marker));
  }

  private void assertNothingCreatedOrRun() throws Exception {
    JsonNode apps = cluster.call("GET", "/v2/apps", null).body().path("apps");
    assertThat(apps).as("no app was created").isEmpty();
    // Long enough for a launched task to have run its first command (tasks start within a tick).
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !Files.exists(marker));
    assertThat(TestCluster.processesUnder(cluster.stateDir)).as("no task process").isEmpty();
  }

  /** Sends {@code request} as written (a forged Host header is not possible with java.net.http) and reads the reply. */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", cluster.cluster.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        reply.write(buffer, 0, n);
      }
      return reply.toString(StandardCharsets.UTF_8);
    }
  }
}
