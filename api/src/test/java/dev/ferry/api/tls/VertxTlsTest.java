package dev.ferry.api.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server set up by {@link VertxTls} with certificates of a {@link ClusterCa}, called by clients
 * set up by {@link SslContexts}: who gets an answer and who is refused in the handshake.
 */
class VertxTlsTest {

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private Path cluster;
  private Path other;
  private TlsFiles server;

  @BeforeEach
  void twoCas() {
    cluster = dir.resolve("cluster");
    other = dir.resolve("other");
    ClusterCa ca = ClusterCa.create("cluster");
    ca.writeTo(cluster);
    server = ca.issue("server", List.of("127.0.0.1", "localhost"), cluster);
    ca.issue("client", List.of(), cluster);
    ClusterCa foreign = ClusterCa.create("other");
    foreign.writeTo(other);
    foreign.issue("client", List.of(), other);
  }

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  @Test
  void everyKeyIsReadableByItsOwnerOnly() throws IOException {
    for (String key : List.of("ca.key", "server.key", "client.key")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cluster.resolve(key)))).as(key)
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cluster))).isEqualTo("rwx------");
  }

  @Test
  void mutualTlsAnswersOnlyAClientWithACertificateOfTheSameCa() throws Exception {
    String url = "https://127.0.0.1:" + serve(true) + "/";

    assertThat(status(SslContexts.mutual(files(cluster, "client")), url)).isEqualTo(200);
    assertThatThrownBy(() -> status(SslContexts.trusting(cluster.resolve("ca.crt")), url))
        .as("no client certificate").isInstanceOf(IOException.class);
    assertThatThrownBy(() -> status(SslContexts.mutual(new TlsFiles(other.resolve("client.crt"),
        other.resolve("client.key"), cluster.resolve("ca.crt"))), url))
        .as("a client certificate of another CA").isInstanceOf(IOException.class);
    assertThatThrownBy(() -> status(SslContexts.mutual(files(other, "client")), url))
        .as("a client that trusts another CA").isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void withoutClientAuthAnyClientTrustingTheCaIsAnsweredAndNoOtherIs() throws Exception {
    int port = serve(false);

    assertThat(status(SslContexts.trusting(cluster.resolve("ca.crt")), "https://127.0.0.1:" + port + "/")).isEqualTo(200);
    assertThat(status(SslContexts.trusting(cluster.resolve("ca.crt")), "https://localhost:" + port + "/")).isEqualTo(200);
    assertThatThrownBy(() -> status(SSLContext.getDefault(), "https://127.0.0.1:" + port + "/"))
        .as("the JDK's CAs").isInstanceOf(SSLHandshakeException.class);
    assertThatThrownBy(() -> status(SslContexts.trusting(cluster.resolve("ca.crt")), "https://127.0.0.2:" + port + "/"))
        .as("an address the certificate does not name").isInstanceOf(SSLHandshakeException.class);
    assertThat(status(SslContexts.trustingAnyServer(), "https://127.0.0.2:" + port + "/"))
        .as("--insecure-skip-tls-verify").isEqualTo(200);
  }

  private int serve(boolean requireClientCert) {
    HttpServer http = vertx.createHttpServer(VertxTls.serve(new HttpServerOptions().setHost("0.0.0.0").setPort(0),
            server, requireClientCert))
        .requestHandler(request -> request.response().end("ok"));
    return http.listen().await().actualPort();
  }

  private static TlsFiles files(Path dir, String name) {
    return new TlsFiles(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), dir.resolve("ca.crt"));
  }

  private static int status(SSLContext tls, String url) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
        .connectTimeout(Duration.ofSeconds(10)).build();
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
