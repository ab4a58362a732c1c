package dev.ferry.api.tls;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Vert.x servers and clients on the cluster's TLS: the one place that says how, so the
 * controller and the agents cannot drift apart. Both sides trust the cluster CA only.
 */
public final class VertxTls {

  private VertxTls() {}

  /**
   * HTTPS with {@code files}' certificate; {@code requireClientCert} makes it mutual TLS: a client
   * without a certificate from the cluster CA is refused in the handshake, before any route runs.
   */
  public static HttpServerOptions serve(HttpServerOptions options, TlsFiles files, boolean requireClientCert) {
    return options.setSsl(true)
        .setKeyCertOptions(keyCert(files))
        .setTrustOptions(new PemTrustOptions().addCertPath(files.caFile().toString()))
        .setClientAuth(requireClientCert ? ClientAuth.REQUIRED : ClientAuth.NONE);
  }

  /** HTTPS to servers whose certificate the cluster CA issued for the host called; presents {@code files}'. */
  public static <T extends HttpClientOptions> T client(T options, TlsFiles files) {
    options.setSsl(true)
        .setVerifyHost(true)
        .setKeyCertOptions(keyCert(files))
        .setTrustOptions(new PemTrustOptions().addCertPath(files.caFile().toString()));
    return options;
  }

  private static PemKeyCertOptions keyCert(TlsFiles files) {
    return new PemKeyCertOptions().setCertPath(files.certFile().toString()).setKeyPath(files.keyFile().toString());
  }
}
