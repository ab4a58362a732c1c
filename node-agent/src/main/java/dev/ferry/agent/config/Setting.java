package dev.ferry.agent.config;

import java.util.Locale;

/**
 * One configuration setting: its key in the YAML file ({@code transferPort}) and the environment
 * variable that overrides it ({@code FERRY_TRANSFER_PORT}), derived from the key so the two can
 * never disagree.
 */
public enum Setting {
  NODE_NAME("nodeName"),
  HOSTNAME("hostname"),
  ADDRESS("address"),
  TRANSFER_PORT("transferPort"),
  POOL("pool"),
  DATASET_ROOT("datasetRoot"),
  ATTRIBUTES("attributes"),
  ATTRIBUTES_FILE("attributesFile"),
  ETCD_ENDPOINTS("etcdEndpoints"),
  ETCD_USER("etcdUser"),
  ETCD_PASSWORD("etcdPassword"),
  ETCD_CA_FILE("etcdCaFile"),
  ETCD_CERT_FILE("etcdCertFile"),
  ETCD_KEY_FILE("etcdKeyFile"),
  ETCD_KEY_PREFIX("etcdKeyPrefix"),
  CLUSTER_KEY_FILE("clusterKeyFile"),
  TLS_CERT_FILE("tlsCertFile"),
  TLS_KEY_FILE("tlsKeyFile"),
  TLS_CA_FILE("tlsCaFile"),
  STATE_DIR("stateDir"),
  LEASE_TTL("leaseTtl"),
  REFRESH_INTERVAL("refreshInterval"),
  RESYNC_INTERVAL("resyncInterval"),
  TRANSFER_MAX_BYTES_PER_SECOND("transferMaxBytesPerSecond"),
  MAX_CONCURRENT_RECEIVES("maxConcurrentReceives"),
  USAGE_REPORT_BYTES("usageReportBytes"),
  USAGE_REPORT_INTERVAL("usageReportInterval");

  private final String key;

  Setting(String key) {
    this.key = key;
  }

  /** The key in the YAML file. */
  public String key() {
    return key;
  }

  /** The environment variable: {@code FERRY_} and the key in upper snake case. */
  public String env() {
    return "FERRY_" + name().toUpperCase(Locale.ROOT);
  }
}
