package dev.ferry.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.tls.ClusterCa;
import dev.ferry.api.tls.TlsFiles;
import dev.ferry.api.tls.VertxTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams over mutual TLS, as agents send them: a client per stream at a time, reused once its
 * connection is closed, so an agent's memory does not grow with the number of transfers.
 */
class StreamClientsTest {

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private StreamClients clients;
  private int port;

  @BeforeEach
  void tlsServer() {
    ClusterCa ca = ClusterCa.create("cluster");
    ca.writeTo(dir);
    TlsFiles server = ca.issue("server", List.of("127.0.0.1"), dir);
    TlsFiles client = ca.issue("client", List.of(), dir);
    // "/refuse" answers 409 as soon as the headers are in, before the body has ended, as a target
    // that refuses a stream does; "/" answers once the whole body arrived.
    port = vertx.createHttpServer(VertxTls.serve(new HttpServerOptions().setHost("127.0.0.1").setPort(0), server, true))
        .requestHandler(request -> {
          if (request.path().equals("/refuse")) {
            request.response().setStatusCode(409).end("refused");
          } else {
            request.body().onSuccess(body -> request.response().end(Integer.toString(body.length())));
          }
        }).listen().await().actualPort();
    clients = new StreamClients(vertx, VertxTls.client(new HttpClientOptions().setKeepAlive(false), client));
  }

  @AfterEach
  void close() {
    clients.close().await();
    vertx.close().await();
  }

  @Test
  void streamsOneAfterAnotherUseOneClientAndNoSslContextIsLeftBehind() throws Exception {
    stream("/", 64 * 1024);
    long before = instances("io.netty.handler.ssl.JdkSslClientContext");

    for (int i = 0; i < 40; i++) {
      assertThat(stream("/", 64 * 1024)).isEqualTo("200 " + 64 * 1024);
    }

    assertThat(instances("io.netty.handler.ssl.JdkSslClientContext")).as("client SSL contexts after 40 more streams")
        .isLessThanOrEqualTo(before);
    assertThat(clients.created()).isEqualTo(1);
  }

  @Test
  void aStreamRefusedHalfWayLeavesNoHalfWrittenConnectionToTheNext() {
    assertThat(stream("/refuse", 8 * 1024 * 1024)).isEqualTo("409 refused");
    assertThat(stream("/", 1024)).isEqualTo("200 1024");
    assertThat(clients.created()).isEqualTo(1);
  }

  @Test
  void streamsAtTheSameTimeEachHaveAClient() {
    HttpClient first = clients.take();
    HttpClient second = clients.take();
    assertThat(second).isNotSameAs(first);
    clients.give(first, null);
    clients.give(second, null);
    assertThat(clients.take()).isIn(first, second);
    assertThat(clients.created()).isEqualTo(2);
  }

  /** One stream as TransferClient sends it: chunked body, the answer possibly before its end. */
  private String stream(String path, int bytes) {
    HttpClient client = clients.take();
    AtomicReference<HttpConnection> connection = new AtomicReference<>();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI(path);
    Future<String> answer = client.request(options).compose(request -> {
      connection.set(request.connection());
      request.setChunked(true);
      request.exceptionHandler(e -> { });
      writeBody(request, bytes);
      return request.response().compose(r -> r.body().map(b -> r.statusCode() + " " + b));
    });
    try {
      return answer.timeout(60, TimeUnit.SECONDS).await();
    } finally {
      clients.give(client, connection.get()).timeout(30, TimeUnit.SECONDS).await();
    }
  }

  private static void writeBody(HttpClientRequest request, int bytes) {
    Buffer chunk = Buffer.buffer(new byte[16 * 1024]);
    int[] left = {bytes};
    Runnable[] more = new Runnable[1];
    more[0] = () -> {
      while (left[0] > 0 && !request.writeQueueFull()) {
        request.write(chunk.slice(0, Math.min(left[0], chunk.length())));
        left[0] -= Math.min(left[0], chunk.length());
      }
      if (left[0] > 0) {
        request.drainHandler(v -> more[0].run());
      } else {
        request.end();
      }
    };
    more[0].run();
  }

  /** Live instances of a class in this JVM after a full GC, from the JVM's own class histogram. */
  private static long instances(String className) throws Exception {
    System.gc();
    String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {null}, new String[] {String[].class.getName()});
    return Arrays.stream(histogram.split("\n")).map(String::trim).filter(l -> l.endsWith(" " + className)
            || l.contains(" " + className + " "))
        .mapToLong(l -> Long.parseLong(l.split("\\s+")[1])).sum();
  }
}
