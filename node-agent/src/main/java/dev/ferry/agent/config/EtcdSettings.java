package dev.ferry.agent.config;

import dev.ferry.api.store.EtcdConfig;
import java.net.URI;
import java.util.Arrays;
import java.util.List;

/** The etcd settings: endpoints, optional user and password, optional TLS files, key prefix. */
final class EtcdSettings {

  private EtcdSettings() {}

  static EtcdConfig from(Settings s) {
    List<String> endpoints = Arrays.stream(s.get(Setting.ETCD_ENDPOINTS).orElse(AgentConfig.DEFAULT_ETCD).split(","))
        .map(String::strip).filter(e -> !e.isEmpty()).toList();
    for (String endpoint : endpoints) {
      URI uri;
      try {
        uri = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        throw s.invalid(Setting.ETCD_ENDPOINTS, "'" + endpoint + "' is not a URL like http://host:port");
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw s.invalid(Setting.ETCD_ENDPOINTS, "'" + endpoint + "' is not http://host:port or https://host:port");
      }
    }
    if (endpoints.isEmpty()) {
      throw s.invalid(Setting.ETCD_ENDPOINTS, "needs at least one endpoint");
    }
    EtcdConfig config = EtcdConfig.of(endpoints.toArray(String[]::new));
    if (s.get(Setting.ETCD_USER).isPresent()) {
      config = config.withCredentials(s.get(Setting.ETCD_USER).get(), s.require(Setting.ETCD_PASSWORD));
    }
    if (s.get(Setting.ETCD_CA_FILE).isPresent()) {
      EtcdConfig.Tls tls = EtcdConfig.Tls.trusting(AgentConfig.readableFile(s, Setting.ETCD_CA_FILE, s.get(Setting.ETCD_CA_FILE).get()));
      if (s.get(Setting.ETCD_CERT_FILE).isPresent() || s.get(Setting.ETCD_KEY_FILE).isPresent()) {
        tls = tls.withClientCert(
            AgentConfig.readableFile(s, Setting.ETCD_CERT_FILE, s.require(Setting.ETCD_CERT_FILE)),
            AgentConfig.readableFile(s, Setting.ETCD_KEY_FILE, s.require(Setting.ETCD_KEY_FILE)));
      }
      config = config.withTls(tls);
    } else if (s.get(Setting.ETCD_CERT_FILE).isPresent()) {
      throw s.invalid(Setting.ETCD_CERT_FILE, "a client certificate needs etcdCaFile (FERRY_ETCD_CA_FILE) too");
    }
    if (s.get(Setting.ETCD_KEY_PREFIX).isPresent()) {
      try {
        config = config.withKeyPrefix(s.get(Setting.ETCD_KEY_PREFIX).get());
      } catch (IllegalArgumentException e) {
        throw s.invalid(Setting.ETCD_KEY_PREFIX, e.getMessage());
      }
    }
    return config;
  }
}
