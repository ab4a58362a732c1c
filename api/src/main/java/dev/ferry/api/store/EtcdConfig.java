package dev.ferry.api.store;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How to reach etcd and where Ferry's keys live.
 *
 * @param endpoints client URLs, {@code http://host:2379} or {@code https://...} with TLS
 * @param credentials etcd user and password, if etcd has authentication enabled
 * @param tls the CA (and optional client certificate) for {@code https} endpoints
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long one request may take before it fails with a StoreException:
 *     jetcd itself waits for an etcd that is away for as long as it is away, which would hang
 *     every caller (and every reconcile) through an outage and past a half-open connection
 * @param keyPrefix the root of Ferry's keys, {@value #DEFAULT_KEY_PREFIX} by default; objects
 *     live at {@code <keyPrefix>/<plural>/<name>}
 */
public record EtcdConfig(
    List<URI> endpoints,
    Optional<Credentials> credentials,
    Optional<Tls> tls,
    Duration connectTimeout,
    Duration requestTimeout,
    String keyPrefix) {

  public static final String DEFAULT_KEY_PREFIX = "/ferry/v1";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);

  public EtcdConfig {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("etcd needs at least one endpoint");
    }
    if (!keyPrefix.startsWith("/") || keyPrefix.endsWith("/")) {
      throw new IllegalArgumentException(
          "etcd key prefix \"" + keyPrefix + "\" must start with '/' and not end with one");
    }
  }

  /** Plain connections to these endpoints, no authentication, default prefix and timeout. */
  public static EtcdConfig of(String... endpoints) {
    return new EtcdConfig(Arrays.stream(endpoints).map(URI::create).toList(), Optional.empty(),
        Optional.empty(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_KEY_PREFIX);
  }

  public EtcdConfig withCredentials(String user, String password) {
    return new EtcdConfig(endpoints, Optional.of(new Credentials(user, password)), tls,
        connectTimeout, requestTimeout, keyPrefix);
  }

  public EtcdConfig withTls(Tls newTls) {
    return new EtcdConfig(endpoints, credentials, Optional.of(newTls), connectTimeout, requestTimeout, keyPrefix);
  }

  public EtcdConfig withConnectTimeout(Duration timeout) {
    return new EtcdConfig(endpoints, credentials, tls, timeout, requestTimeout, keyPrefix);
  }

  public EtcdConfig withRequestTimeout(Duration timeout) {
    return new EtcdConfig(endpoints, credentials, tls, connectTimeout, timeout, keyPrefix);
  }

  public EtcdConfig withKeyPrefix(String prefix) {
    return new EtcdConfig(endpoints, credentials, tls, connectTimeout, requestTimeout, prefix);
  }

  /** An etcd user; {@link #toString} hides the password so configs can be logged. */
  public record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password=***]";
    }
  }

  /**
   * TLS material, PEM files.
   *
   * @param caFile the CA that signed etcd's server certificate
   * @param clientCert a client certificate and its key, if etcd asks for one
   */
  public record Tls(Path caFile, Optional<ClientCert> clientCert) {

    public static Tls trusting(Path caFile) {
      return new Tls(caFile, Optional.empty());
    }

    public Tls withClientCert(Path certFile, Path keyFile) {
      return new Tls(caFile, Optional.of(new ClientCert(certFile, keyFile)));
    }
  }

  /** A client certificate chain and its PKCS#8 private key, PEM files. */
  public record ClientCert(Path certFile, Path keyFile) {}
}
