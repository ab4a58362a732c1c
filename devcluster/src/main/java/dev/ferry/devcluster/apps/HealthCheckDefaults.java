package dev.ferry.devcluster.apps;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The defaults of {@code AppHealthCheck} ({@code types/healthCheck.raml}). */
final class HealthCheckDefaults {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private HealthCheckDefaults() {}

  static void apply(ObjectNode check) {
    AppNormalizer.putIfAbsent(check, "protocol", F.textNode("HTTP"));
    AppNormalizer.putIfAbsent(check, "gracePeriodSeconds", F.numberNode(300));
    AppNormalizer.putIfAbsent(check, "intervalSeconds", F.numberNode(60));
    AppNormalizer.putIfAbsent(check, "timeoutSeconds", F.numberNode(20));
    AppNormalizer.putIfAbsent(check, "maxConsecutiveFailures", F.numberNode(3));
    AppNormalizer.putIfAbsent(check, "delaySeconds", F.numberNode(15));
    String protocol = check.get("protocol").asText();
    if (protocol.contains("HTTP")) {
      AppNormalizer.putIfAbsent(check, "path", F.textNode("/"));
      AppNormalizer.putIfAbsent(check, "ignoreHttp1xx", F.booleanNode(false));
    }
    if (!protocol.equals("COMMAND") && !check.has("port")) {
      AppNormalizer.putIfAbsent(check, "portIndex", F.numberNode(0));
    }
    if (protocol.equals("HTTP") || protocol.equals("HTTPS") || protocol.equals("TCP")) {
      AppNormalizer.putIfAbsent(check, "ipProtocol", F.textNode("IPv4"));
    }
  }
}
