package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.devcluster.scheduler.Scheduler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /v2/info}, {@code /v2/leader} and {@code /ping}: devcluster is always the elected leader. */
final class SystemRoutes {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final Scheduler scheduler;
  private final String host;
  private final java.util.function.IntSupplier port;

  SystemRoutes(Scheduler scheduler, String host, java.util.function.IntSupplier port) {
    this.scheduler = scheduler;
    this.host = host;
    this.port = port;
  }

  void mount(Router router) {
    router.get("/v2/info").handler(this::info);
    router.get("/v2/leader").handler(ctx -> Http.json(ctx, 200, F.objectNode().put("leader", leader())));
    router.get("/ping").handler(this::ping);
  }

  private String leader() {
    return host + ":" + port.getAsInt();
  }

  private void info(RoutingContext ctx) {
    String leader = leader();
    ObjectNode info = F.objectNode().put("name", "marathon").put("version", "1.10.26-devcluster")
        .put("buildref", "devcluster").put("elected", true).put("leader", leader)
        .put("frameworkId", scheduler.clusterId() + "-0000");
    ObjectNode config = info.putObject("marathon_config").put("master", "devcluster://local")
        .put("mesos_role", "*").put("local_port_min", 10000).put("local_port_max", 20000)
        .put("framework_name", "marathon").put("hostname", leader.split(":")[0]).put("ha", false)
        .put("webui_url", "http://" + leader)
        // Named wherever it shows: tasks without processes must not pass for real ones.
        .put("simulate_tasks", scheduler.simulated());
    config.putArray("features");
    info.putObject("zookeeper_config").put("zk", "").put("zk_compression", false)
        .put("zk_compression_threshold", 65536).put("zk_connection_timeout", 10000)
        .put("zk_max_node_size", 1024000).put("zk_max_versions", 50)
        .put("zk_session_timeout", 10000).put("zk_timeout", 10000);
    info.putObject("http_config").put("http_port", port.getAsInt()).put("https_port", 8443);
    Http.json(ctx, 200, info);
  }

  private void ping(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && accept.contains("application/json") && !accept.contains("text/")) {
      Http.json(ctx, 200, F.textNode("pong"));
    } else {
      ctx.response().putHeader("Content-Type", "text/plain").end("pong");
    }
  }
}
