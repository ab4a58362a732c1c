package dev.ferry.agent.metrics;

import dev.ferry.api.metrics.PrometheusMetrics;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;

/**
 * The agent's routes for probes and Prometheus, served beside the transfers:
 *
 * <pre>
 * GET /healthz   200 {"status":"ok"} while the process runs
 * GET /readyz    200 {"status":"ready"} once the agent registered its Node and until it stops, else 503
 * GET /metrics   Prometheus text: the JVM's and the process's metrics, ferry_transfer_bytes_total,
 *                ferry_agent_zfs_launches_total, ferry_agent_resync_passes_total
 * </pre>
 *
 * <p>All three take no credential: probes and Prometheus carry no ticket, the probes say nothing
 * but ok or not, and the metrics hold counts only, no dataset or node names. Over TLS the
 * transfer server's mutual TLS still asks every client for a certificate of the cluster CA
 * (docs/metrics.md says which one Prometheus presents).
 */
public final class AgentProbes {

  private final PrometheusMetrics metrics;
  private final BooleanSupplier ready;

  public AgentProbes(PrometheusMetrics metrics, BooleanSupplier ready) {
    this.metrics = metrics;
    this.ready = ready;
  }

  /** Answers {@code request} if it is a GET of one of these routes; false leaves it to the caller. */
  public boolean answer(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET) {
      return false;
    }
    switch (request.path()) {
      case "/healthz" -> json(request, 200, "{\"status\":\"ok\"}");
      case "/readyz" -> {
        boolean now = ready.getAsBoolean();
        json(request, now ? 200 : 503, now ? "{\"status\":\"ready\"}" : "{\"status\":\"not ready\"}");
      }
      case "/metrics" -> request.response().putHeader("Content-Type", PrometheusMetrics.CONTENT_TYPE)
          .end(metrics.scrape());
      default -> {
        return false;
      }
    }
    return true;
  }

  private static void json(HttpServerRequest request, int status, String body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
