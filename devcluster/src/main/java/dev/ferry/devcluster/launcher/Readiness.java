package dev.ferry.devcluster.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * How the launcher knows a component answers: a port that accepts, or an HTTP(S) URL that says
 * 200. Over HTTPS the probe checks the server's certificate like any client, so a component up
 * with the wrong certificate is not ready.
 */
record Readiness(String what, BooleanSupplier probe) {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  static Readiness port(String host, int port) {
    return new Readiness("listening on " + host + ":" + port, () -> accepts(host, port));
  }

  /** 200 from {@code url}, and a body containing {@code expected} (empty: any body). */
  static Readiness http(String url, String expected) {
    return http(url, expected, Optional::empty);
  }

  /** The same, sending the {@code Authorization} header {@code authorization} gives, if any. */
  static Readiness http(String url, String expected, Supplier<Optional<String>> authorization) {
    return new Readiness("answering " + url, () -> answers(HTTP, url, expected, authorization.get()));
  }

  /** 200 from {@code url} over TLS as {@code tls} says (the CA to trust, a client certificate). */
  static Readiness https(String url, String expected, Supplier<SSLContext> tls) {
    return new Readiness("answering " + url, () -> answers(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).sslContext(tls.get()).build(),
        url, expected, Optional.empty()));
  }

  static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static boolean answers(HttpClient http, String url, String expected, Optional<String> authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2));
    authorization.ifPresent(a -> builder.header("Authorization", a));
    HttpRequest request = builder.build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains(expected);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
